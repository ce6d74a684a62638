"""decode_bytes on undeclared legacy text: languages x charsets, short and ~1 KB.

Every case is ordinary news prose encoded in a charset its language is
written in, with no declaration anywhere; the decoded text must be the text.
"""

from __future__ import annotations

import pytest

import newsclean
from newsclean.alphabets import letter_fit
from newsclean.decode import decode_bytes

SENTENCES = {
    "fr": [
        "Le président a été réélu. Il a déclaré être très ému devant ses partisans.",
        "À Marseille, les commerçants du Vieux-Port se préparent à une saison estivale difficile.",
        "Selon la préfecture, près de deux mille élèves n'ont pas pu rejoindre leur école.",
        "Le ministre de l'Économie a présenté jeudi un budget qui prévoit une hausse des dépenses.",
        "« Nous sommes déçus, mais pas découragés », a réagi le porte-parole de l'association.",
    ],
    "de": [
        "Die Bundesregierung hat am Mittwoch ein Gesetz zur Förderung erneuerbarer Energien beschlossen.",
        "Größere Städte müssen künftig mehr für den öffentlichen Nahverkehr tun.",
        "Der Bürgermeister äußerte sich zufrieden über die Einigung mit den Gewerkschaften.",
        "Nach Angaben der Polizei wurden bei dem Unfall drei Menschen schwer verletzt.",
    ],
    "es": [
        "La alcaldesa anunció que el próximo año se construirán tres nuevas estaciones de metro.",
        "Según el informe, la economía española creció un 2,5 % en el último trimestre.",
        "«No vamos a permitir más recortes en sanidad», aseguró la portavoz del sindicato.",
        "Los niños de la escuela pública recibirán ordenadores portátiles a partir de septiembre.",
    ],
    "pt": [
        "O governo anunciou nesta quinta-feira um pacote de medidas para conter a inflação.",
        "Segundo a polícia, não houve feridos durante a manifestação no centro da cidade.",
        "A seleção brasileira venceu por dois a zero e garantiu a classificação para a próxima fase.",
    ],
    "it": [
        "Il sindaco ha annunciato che la città ospiterà una grande mostra dedicata a Leonardo.",
        "Secondo l'Istat, la disoccupazione è scesa al livello più basso degli ultimi dieci anni.",
        "Perché il traffico è così intenso? Lo spiega l'assessore alla mobilità.",
    ],
    "cs": [
        "Vláda ve středu schválila návrh zákona o podpoře obnovitelných zdrojů energie.",
        "Podle policie se nehoda stala krátce před půlnocí na dálnici D1 u Humpolce.",
        "Ceny potravin v České republice za poslední měsíc výrazně vzrostly.",
    ],
    "sk": [
        "Podľa polície sa nehoda stala krátko pred polnocou na diaľnici pri Žiline.",
        "Vláda v stredu schválila návrh zákona o podpore malých podnikov, povedal minister.",
        "Ceny potravín na Slovensku vlani výrazne stúpli, uviedol štatistický úrad.",
    ],
    "pl": [
        "Rząd przyjął we wtorek projekt ustawy o podwyżkach dla nauczycieli.",
        "Według policji w wypadku na autostradzie A4 zginęły dwie osoby, a cztery zostały ranne.",
        "Ceny żywności w Polsce wzrosły w ubiegłym miesiącu o ponad pięć procent.",
    ],
    "hu": [
        "A rendőrség szerint a balesetben hárman súlyosan megsérültek az autópályán.",
        "A kormány szerdán elfogadta az új költségvetési törvényjavaslatot.",
        "Az élelmiszerárak az elmúlt hónapban jelentősen emelkedtek Magyarországon.",
    ],
    "hr": [
        "Prema navodima policije, u nesreći na autocesti ozlijeđene su tri osobe.",
        "Cijene hrane prošlog su mjeseca znatno porasle, objavio je Državni zavod za statistiku.",
        "Đakovo i Čakovec dobit će nove vrtiće do kraja godine.",
    ],
    "ro": [
        "Potrivit poliţiei, trei persoane au fost rănite în accidentul de pe autostradă.",
        "Guvernul a aprobat miercuri proiectul de lege privind sprijinirea întreprinderilor mici.",
        "Preţurile alimentelor au crescut semnificativ luna trecută.",
    ],
    "tr": [
        "Hükümet çarşamba günü yeni eğitim yasasını onayladı.",
        "Polisin açıklamasına göre kazada üç kişi ağır yaralandı.",
        "Gıda fiyatları geçen ay önemli ölçüde arttı, dedi bakanlık sözcüsü.",
    ],
    "lt": [
        "Pasak policijos, avarijoje greitkelyje nukentėjo trys žmonės.",
        "Vyriausybė trečiadienį pritarė įstatymo projektui dėl smulkiojo verslo rėmimo.",
        "Maisto produktų kainos praėjusį mėnesį gerokai išaugo.",
    ],
    "lv": [
        "Valdība trešdien apstiprināja likumprojektu par mazo uzņēmumu atbalstu.",
        "Pēc policijas sniegtās informācijas, avārijā uz šosejas cietuši trīs cilvēki.",
    ],
    "ru": [
        "Правительство в среду одобрило законопроект о поддержке малого бизнеса.",
        "По данным полиции, в результате аварии на трассе пострадали три человека.",
        "Цены на продукты питания в прошлом месяце заметно выросли.",
    ],
    "uk": [
        "Уряд у середу схвалив законопроєкт про підтримку малого бізнесу.",
        "За даними поліції, внаслідок аварії на трасі постраждали троє людей.",
    ],
    "bg": [
        "Правителството одобри в сряда законопроекта за подкрепа на малкия бизнес.",
        "Според полицията трима души са пострадали при катастрофата на магистралата.",
    ],
    "el": [
        "Η κυβέρνηση ενέκρινε την Τετάρτη το νέο νομοσχέδιο για την παιδεία.",
        "Σύμφωνα με την αστυνομία, τρία άτομα τραυματίστηκαν στο τροχαίο.",
    ],
    "he": [
        "הממשלה אישרה ביום רביעי את הצעת החוק לתמיכה בעסקים קטנים.",
        "לפי המשטרה, שלושה בני אדם נפצעו בתאונה בכביש המהיר.",
    ],
    "ar": [
        "وافقت الحكومة يوم الأربعاء على مشروع قانون لدعم الشركات الصغيرة.",
        "وبحسب الشرطة، أصيب ثلاثة أشخاص في حادث على الطريق السريع.",
    ],
    "th": [
        "รัฐบาลอนุมัติร่างกฎหมายสนับสนุนธุรกิจขนาดเล็กเมื่อวันพุธ",
        "ตำรวจระบุว่ามีผู้ได้รับบาดเจ็บสามคนจากอุบัติเหตุบนทางด่วน",
    ],
    "zh": [
        "烟台累计开复工规上工业企业1867家，开复工率达97.6%。",
        "新华社北京电 记者从国家统计局获悉，今年前三季度全国规模以上工业增加值同比增长。",
    ],
    "zh-Hant": [
        "經濟日報記者報導，臺灣企業陸續復工復產，今年第一季出口成長百分之五。",
        "政府表示將持續協助中小企業度過難關，並加強防疫物資的調度與管理。",
    ],
    "ja": [
        "政府は来年度予算案で、防衛費を過去最大の規模に増やす方針を固めた。",
        "大阪市内の商店街では、観光客の増加で売り上げが回復しつつある。",
    ],
    "ko": [
        "정부는 수요일 소상공인 지원을 위한 법안을 승인했다.",
        "경찰에 따르면 고속도로 사고로 세 명이 다쳤다.",
    ],
}

CHARSETS = {
    "fr": ["latin-1", "cp1252", "iso8859-15"],
    "de": ["latin-1", "cp1252"],
    "es": ["latin-1", "cp1252"],
    "pt": ["latin-1"],
    "it": ["latin-1", "cp1252"],
    "cs": ["cp1250", "iso8859-2"],
    "sk": ["cp1250", "iso8859-2"],
    "pl": ["cp1250", "iso8859-2"],
    "hu": ["cp1250", "iso8859-2"],
    "hr": ["cp1250", "iso8859-2"],
    "ro": ["cp1250", "iso8859-2"],
    "tr": ["cp1254", "iso8859-9"],
    "lt": ["cp1257", "iso8859-13"],
    "lv": ["cp1257"],
    "ru": ["cp1251", "koi8-r"],
    "uk": ["cp1251", "koi8-u"],
    "bg": ["cp1251"],
    "el": ["cp1253", "iso8859-7"],
    "he": ["cp1255"],
    "ar": ["cp1256"],
    "th": ["cp874"],
    "zh": ["gbk", "gb18030"],
    "zh-Hant": ["big5"],
    "ja": ["shift_jis", "euc-jp"],
    "ko": ["euc-kr"],
}


def _about_a_kilobyte(sentences: list[str]) -> str:
    text, i = "", 0
    while len(text.encode("utf-8")) < 1000:
        text += sentences[i % len(sentences)] + ("\n" if i % 3 == 2 else " ")
        i += 1
    return text


CASES = [
    pytest.param(text, charset, id=f"{lang}-{charset}-{size}")
    for lang, charsets in CHARSETS.items()
    for charset in charsets
    for size, text in (
        ("short", SENTENCES[lang][0]),
        ("1kb", _about_a_kilobyte(SENTENCES[lang])),
    )
]


@pytest.mark.parametrize(("text", "charset"), CASES)
def test_undeclared_legacy_text_decodes_to_itself(text: str, charset: str) -> None:
    assert decode_bytes(text.encode(charset)).text == text


FRENCH = "Le président a été réélu. Il a déclaré être très ému devant ses partisans.\n"
# A page like the tester's: French in Latin-1 with no declaration, read as
# cp775 (a DOS code page: "dķbat", "Ó 2026") before.
FRENCH_PAGE = (
    "<html><head><title>À Marseille, les commerçants du Vieux-Port se préparent</title></head>"
    "<body><p>À Marseille, les commerçants du Vieux-Port se préparent à une saison estivale "
    "difficile.</p><p>Les élus de l'opposition dénoncent une décision « précipitée » et "
    "réclament un débat.</p><p>Le tribunal a été saisi par plusieurs associations de défense "
    "de l'environnement.</p><p>Le président a été réélu. Il a déclaré être très ému devant ses "
    "partisans.</p><footer>© 2026 La Gazette</footer></body></html>"
)


@pytest.mark.parametrize(
    "text",
    [FRENCH, FRENCH_PAGE, "Le café était très agréable. " * 10],
    ids=["sentence", "page", "repeated"],
)
def test_french_latin1_is_not_read_as_mac_latin2_or_a_dos_code_page(text: str) -> None:
    got = decode_bytes(text.encode("latin-1"))
    assert got.text == text
    assert got.encoding == "cp1252"


def test_clean_keeps_undeclared_latin1_text_intact() -> None:
    # the tester's `newsclean clean p.txt`: exit 0 and mojibake before
    assert "Le président a été réélu." in newsclean.clean(FRENCH.encode("latin-1")).text


def test_a_language_that_writes_the_letters_fits_better() -> None:
    # French read as windows-1250: no language writes é, ę and č together
    assert letter_fit("Il a déclaré être très ému") < letter_fit("Il a déclaré ętre trčs ému")
    # Czech read as windows-1252: ø and ì are not Czech letters
    assert letter_fit("Vláda ve středu, měsíc") < letter_fit("Vláda ve støedu, mìsíc")


def test_a_symbol_inside_a_word_is_a_misread_letter() -> None:
    # Polish ą (windows-1250 0xB9) read as windows-1257 is a superscript one
    assert letter_fit("Rząd przyjął") < letter_fit("Rz¹d przyj¹³")
    # a degree sign after a number, or an apostrophe in a word, is prose
    assert letter_fit("l’été à 38°") == letter_fit("l'été à 38")


@pytest.mark.parametrize("lang", ["fr", "de", "zh", "ru"])
@pytest.mark.parametrize("where", [0.3, 0.5, 0.8])
def test_utf8_with_one_corrupt_byte_stays_utf8(lang: str, where: float) -> None:
    """A byte flipped or pasted into a UTF-8 page sent it to guessing, which
    read all of it in a single-byte charset: every other character garbled.
    It is UTF-8 with a replacement character where the byte broke it."""
    text = " ".join(SENTENCES[lang] * 2)
    data = text.encode("utf-8")
    at = int(len(data) * where)  # anywhere, also inside a character
    bad = data[:at] + b"\xff" + data[at:]
    decoded = decode_bytes(bad)
    assert decoded.encoding == "utf-8"
    # only the character the byte landed in is lost
    assert _all_but_one_char(text, decoded.text.replace("\ufffd", ""))


def _all_but_one_char(text: str, kept: str) -> bool:
    """``kept`` is ``text``, or ``text`` with one character left out."""
    return kept == text or any(text[:i] + text[i + 1 :] == kept for i in range(len(text)))


def test_legacy_text_with_a_few_utf8_lookalikes_is_not_utf8() -> None:
    """Latin-1 text whose accented letters happen to be followed by a
    continuation-range byte is still Latin-1: too few valid sequences."""
    text = " ".join(SENTENCES["fr"])
    assert decode_bytes(text.encode("latin-1")).text == text


def test_a_declared_legacy_charset_outranks_a_utf8_template() -> None:
    """A UTF-8 template (·, ©, —) around a Latin-1 article on a page that
    declares iso-8859-1 is the declaration's: the article's é must not become
    a replacement character (hostile test of the nearly-UTF-8 rule)."""
    nav = " · ".join(["Home", "News", "Politics", "Business", "Culture", "Sport"] * 5)
    head = f'<html><head><meta charset="iso-8859-1"></head><body><nav>{nav}</nav>'
    article = "<p>The owner of a small café in the old town won the award on Tuesday.</p>"
    foot = "<footer>© 2024 The Daily — All rights reserved</footer></body></html>"
    data = head.encode("utf-8") + article.encode("latin-1") + foot.encode("utf-8")
    decoded = decode_bytes(data)
    assert decoded.encoding == "cp1252"
    assert "small café in" in decoded.text


@pytest.mark.parametrize(
    ("text", "charset"),
    [
        ("Правительство представило в среду новую пенсионную реформу.", "cp1251"),
        ("Η κυβέρνηση παρουσίασε την Τετάρτη μια νέα μεταρρύθμιση των συντάξεων.", "cp1253"),
    ],
)
def test_a_short_sentence_is_not_read_in_the_other_script(text: str, charset: str) -> None:
    """One Russian sentence in windows-1251 scored best as Greek windows-1253,
    whose reading puts the final sigma inside words, which Greek never does."""
    assert decode_bytes(text.encode(charset)).text == text
