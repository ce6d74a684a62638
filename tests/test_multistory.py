"""Text mode picks the main story on pages that hold several (issue 12)."""

from __future__ import annotations

import newsclean

POSTS = [
    (
        "Night buses stay for another year",
        "2021-03-12 10:42",
        [
            "The city council voted on Monday to extend the late-night bus service for another year, after a trial showed that ridership had doubled since the spring.",
            "Officials said the extra buses had cost less than expected, and that the savings would pay for two more routes in the eastern districts of the city.",
        ],
    ),
    (
        "The old harbour gets a park",
        "2021-03-10 09:15",
        [
            "Work on the park in the old harbour began in the autumn, and the first part, with a playground and a path along the water, opened to the public on Saturday morning.",
            "The architects kept the old cranes and two of the warehouses, which will house a market hall and a small museum about the history of the port and its workers.",
            "The second part of the park, with sports fields and a beach, is planned for next year, once the ground has been cleaned of the oil left by the shipyards.",
            "Residents had asked for a park there for more than twenty years, and several hundred of them came to the opening, some with old photographs of the harbour.",
        ],
    ),
    (
        "Schools get new roofs",
        "2021-03-08 16:30",
        [
            "Three primary schools will get new roofs and heating before the winter, after the council approved the budget for school buildings on Thursday evening.",
            "The work will be done during the summer holidays, so that lessons are not disturbed, and the schools will stay open for the holiday clubs in the meantime.",
        ],
    ),
]


def _blog(posts: list[tuple[str, str, list[str]]], title: str = "Anna's blog") -> str:
    lines = [title, "", "Home", "Archive", "About", ""]
    for head, date, paras in posts:
        lines += [head, date, ""]
        for p in paras:
            lines += [p, ""]
        lines += ["Posted by Anna", "Comments (2)", ""]
    lines += ["© 2021 Anna"]
    return "\n".join(lines)


def test_first_dated_post_of_a_blog_page_over_a_longer_later_one() -> None:
    art = newsclean.clean(_blog(POSTS), kind="text")
    assert art.text == "\n\n".join(POSTS[0][2])


def test_the_story_whose_heading_is_the_page_title_wins() -> None:
    """The <title> a flattened page starts with names the last post, not the longest."""
    page = _blog(POSTS, title="Schools get new roofs - Anna's blog")
    art = newsclean.clean(page, kind="text")
    assert art.text == "\n\n".join(POSTS[2][2])


def test_one_story_is_unaffected() -> None:
    art = newsclean.clean(_blog(POSTS[1:2]), kind="text")
    assert art.text == "\n\n".join(POSTS[1][2])


def test_undated_stories_keep_the_best_run() -> None:
    """Without dates there is no evidence of a list of stories: the longest run stays."""
    undated = [(h, "", ps) for h, _, ps in POSTS]
    art = newsclean.clean(_blog(undated), kind="text")
    assert "\n\n".join(POSTS[1][2]) in art.text
