"""The Article's text fields get the body's repair and normalization (issue 11 item 16)."""

from __future__ import annotations

import newsclean

PARAS = [
    f"The owners of the cafÃ© on the corner said the new rules would hurt their business "
    f"this winter, and {n} of them signed the letter to the council."
    for n in range(3, 8)
]


def test_text_mode_title_is_repaired_like_the_body() -> None:
    art = newsclean.clean("CafÃ© owners protest new rules\n\n" + "\n\n".join(PARAS), kind="text")
    assert art.title == "Café owners protest new rules"
    assert "the café on the corner" in art.text


def test_html_mode_title_and_source_are_repaired_like_the_body() -> None:
    page = (
        "<html><head><title>CafÃ© owners protest new rules</title>"
        '<meta property="og:site_name" content="La DÃ©pÃªche"></head><body>'
        "<h1>CafÃ© owners protest new rules</h1>"
        + "".join(f"<p>{p}</p>" for p in PARAS)
        + "</body></html>"
    )
    art = newsclean.clean(page)
    assert art.title == "Café owners protest new rules"
    assert art.source == "La Dépêche"
