"""Chinese date and author rules on made-up pages (issue 12).

Each failure class of the Chinese development set gets a page written for the
test, not copied from the set: the rule must hold on any site that prints its
metadata so, and the counter-examples show where it must not fire.
"""

from __future__ import annotations

import newsclean

_POST = [
    "今天去了趟图书馆，借了三本关于城市规划的书，读到很晚才回家，路上下起了小雨，心情却很好。",
    "城市的每一条街道都有自己的故事，老房子拆了又建，住在里面的人换了一拨又一拨，可街道的名字还在。",
    "明天打算把读书笔记整理出来，顺便把上个月拍的照片也挑一挑，挑出几张好的放到这里和大家分享。",
]


def _text(lines: list[str]) -> newsclean.Article:
    return newsclean.clean("\n\n".join(lines), kind="text")


def _page(above: str, below: str = "", title: str = "城市笔记") -> str:
    body = "".join(f"<p>{p}</p>" for p in _POST * 2)
    return (
        f"<html><head><title>{title}</title></head><body>"
        f'<div class="nav"><a href="/">首页</a> <a href="/news">新闻</a></div>'
        f"<h1>{title}</h1>{above}<div class='content'>{body}</div>{below}"
        "<div class='foot'>关于我们 | 联系方式</div></body></html>"
    )


def _html(page: str) -> newsclean.Article:
    return newsclean.clean(page, kind="html")


def test_a_date_in_a_link_above_the_body_is_not_its_dateline() -> None:
    # an archive link's date names another page ("old edition before …")
    linked = _page('<div class="bar"><a href="/old/">查看旧版(2011年3月8号以前)</a></div>')
    assert _html(linked).date is None
    # the same text outside a link is the page's dateline
    printed = _page('<div class="bar"><span>2019年4月2日</span> <a href="/old/">旧版</a></div>')
    assert _html(printed).date == "2019-04-02"


def test_a_posts_own_info_line_under_the_body_credits_its_author() -> None:
    # a blog prints "作者:X 阅读(n) 评论(n) 编辑 发表于:…" under the post; the
    # buttons are no names, and a short heading kept after the body ("文章评论")
    # does not hide the line
    line = (
        '<div class="info">作者:lanshan 阅读(12) <a href="#c">评论(3)</a> '
        '<a href="/edit">编辑</a> 发表于:2019-03-04 10:20</div><h3>文章评论</h3>'
    )
    art = _html(_page("", line))
    assert (art.author, art.date) == ("lanshan", "2019-03-04T10:20:00")


def test_credit_lines_with_the_role_above_the_names_are_one_byline() -> None:
    # "本报实习生" / "张明 李华" / "本报记者" / "王强": every credited writer
    art = _text(["城市笔记", "本报实习生", "张明 李华", "本报记者", "王强", *_POST])
    assert art.author == "张明、李华、王强"
    assert art.text.splitlines()[0] == _POST[0]
    # on one line each
    art = _text(["城市笔记", "本报实习生 张明 李华", "本报记者 王强", *_POST])
    assert art.author == "张明、李华、王强"
    # a credit higher up, above the headline, is a column's name, not this byline
    art = _text(["记者 刘洋", "城市笔记", "本报记者 王强", *_POST])
    assert art.author == "王强"
    # a role line followed by a sentence credits nobody
    art = _text(["城市笔记", "本报记者", _POST[1], *_POST])
    assert art.author is None


_SIDEBAR = [
    "热点排行",
    "进入论坛",
    "相关新闻:",
    "理财",
    "上海的房价还会涨吗",
    "股票",
    "一周行情回顾",
]
_SIDEBAR += ["基金", "新手如何选基金", "数码", "新款手机评测", "汽车", "周末试驾", "更多"]


def test_the_info_bar_under_the_headline_dates_a_body_far_below_it() -> None:
    # headline, info bar, then a sidebar flattened between it and the body (a
    # flattened page starts with its <title>)
    head = "老城区改造中的街道记忆"
    lines = [
        f"{head}_新闻中心_示例网",
        head,
        "时间：2019年10月21日14:18",
        "作者：周明",
        *_SIDEBAR,
        *_SIDEBAR,
        *_POST,
    ]
    art = _text(lines)
    assert (art.date, art.author) == ("2019-10-21T14:18:00", "周明")
    # a date line further down, below the first links, is not the info bar
    late = [f"{head}_新闻中心_示例网", head, *_SIDEBAR[:5], "2019-10-02", *_SIDEBAR, *_SIDEBAR]
    assert _text([*late, *_POST]).date is None


def test_a_dateline_with_the_sites_address_is_a_dateline() -> None:
    # portals print their address next to the date; the address is no outlet
    art = _text(["城市笔记", "http://www.example.cn 2018年03月21日 11:21", *_POST])
    assert (art.date, art.source) == ("2018-03-21T11:21:00", None)
    art = _text(["城市笔记", "NEWS.EXAMPLE.COM  2018年03月21日 11:21  北方日报", *_POST])
    assert (art.date, art.source) == ("2018-03-21T11:21:00", "北方日报")
    # an address and a sentence with a date in it is no dateline
    art = _text(["城市笔记", "www.example.cn 明天会更好 2018-03-21", *_POST])
    assert art.date is None


_REPLY = (
    "楼主说得有道理，我也遇到过一样的事情，后来换了一家店才解决，大家以后买东西还是要多留个心眼。"
)


def test_a_forum_threads_opening_post_line_dates_and_credits_it() -> None:
    # the post line under the opening post, inside the body run, outranks the
    # last reply's line under the thread; its poster ends it after "by"
    def line(day: int, user: str) -> str:
        return f"〓 生活论坛 购物话题 发布时间 2016/05/{day:02d} 20:01:02 by {user}"

    replies = [x for k in range(12, 15) for x in (_REPLY, line(k, f"user{k}"))]
    art = _text(["城市笔记", *_POST, line(11, "lanshan"), *replies])
    assert (art.date, art.author) == ("2016-05-11T20:01:02", "lanshan")
    # a comment's posted line at the end of an article dated above it dates nothing
    comment = ["发表人：user12", "发表时间：2016-05-12 08:30:00", _REPLY]
    art = _text(["城市笔记", "2016-05-01", *_POST, *_POST, *comment])
    assert art.date == "2016-05-01"


def test_a_forum_post_line_split_over_links_dates_and_credits_the_post() -> None:
    # "本贴由 X 于<date>在〖版面〗发表", a link per field: one line per field
    line = ["本贴由", "大海", "于2016年5月11日20:01:02在〖", "生活论坛", "〗发表."]
    art = _text(["城市笔记", *_POST, *line, "免责声明", "任何言论纯属作者个人观点。"])
    assert (art.date, art.author) == ("2016-05-11T20:01:02", "大海")
    # an edit line ("最后由 X 于 … 编辑") neither dates nor credits the post
    edit = ["本帖最后由", "大海", "于2016年5月12日08:00:00", "编辑"]
    art = _text(["城市笔记", *_POST, *edit, "免责声明", "任何言论纯属作者个人观点。"])
    assert art.author is None


def test_a_name_in_brackets_in_the_info_bar_is_its_author() -> None:
    # "[ 周明 ]  来源：[ 北方日报 ]": the writer in brackets, the outlet labelled
    art = _text(
        ["老城区改造中的街道记忆", "2019年4月2日08:19", "[ 周明 ]  来源：[ 北方日报 ]", *_POST]
    )
    assert (art.author, art.source, art.date) == ("周明", "北方日报", "2019-04-02T08:19:00")
    # a button in brackets is no name, and brackets without a label or a date
    # are no info bar
    art = _text(["老城区改造中的街道记忆", "[ 关闭 ]  来源：北方日报", *_POST])
    assert (art.author, art.source) == (None, "北方日报")
    assert _text(["老城区改造中的街道记忆", "[ 周明 ]", *_POST]).author is None


_NOTICE = [
    "为进一步规范城区道路施工管理，减少施工对市民出行的影响，现将有关事项通告如下。",
    "一、自本通告发布之日起，城区主干道施工须提前十五日向市政部门报备，并在现场公示施工期限。",
    "二、施工单位应当设置明显的安全警示标志，夜间施工须取得许可，不得影响周边居民正常休息。",
]


def test_a_documents_signature_block_dates_it_and_names_the_issuer() -> None:
    # an official notice ends with its issuer and the date it was made (落款);
    # the page that publishes it a day later does not change its date
    body = "".join(f"<p>{p}</p>" for p in _NOTICE)
    page = (
        '<html><head><meta name="PubDate" content="2021-06-09 00:00:00">'
        "<title>关于规范城区道路施工的通告</title></head><body>"
        f"<h1>关于规范城区道路施工的通告</h1><div class='c'>{body}"
        "<p>特此通告。</p><p>示例市人民政府</p><p>2021年6月8日</p></div>"
        "<div class='f'>扫一扫在手机打开当前页</div></body></html>"
    )
    art = newsclean.clean(page, kind="html")
    assert (art.date, art.author) == ("2021-06-08", "示例市人民政府")
    art = _text(
        ["关于规范城区道路施工的通告", *_NOTICE, "特此通告。", "示例市人民政府", "2021年6月8日"]
    )
    assert (art.date, art.author) == ("2021-06-08", "示例市人民政府")
    # a date under a line that names no organ is no signature block
    art = _text(["关于规范城区道路施工的通告", *_NOTICE, "欢迎市民监督", "2021年6月8日"])
    assert art.author is None


def test_a_menu_entry_glued_to_a_reporter_role_is_no_credit() -> None:
    # "记者调查", "记者博客": a site's columns; "记者周明" glued is a credit when
    # the name starts with a known surname, and any name is with a space,
    # brackets or a dateline verb around it
    menu = ["老城区改造中的街道记忆", "记者调查", "民意调查", "2019年4月2日08:19", *_POST]
    assert _text(menu).author is None
    for line, author in [
        ("记者周明", "周明"),
        ("记者 惠禾", "惠禾"),
        ("（记者惠禾）", "惠禾"),
        ("本报记者惠禾 报道", "惠禾"),
    ]:
        art = _text(["老城区改造中的街道记忆", line, "2019年4月2日08:19", *_POST])
        assert art.author == author, line


def test_a_short_headline_over_header_lines_of_their_own_is_the_title() -> None:
    # each credit line on a line of its own (来源 / 作者 / 责任编辑 / date)
    # put a short headline as far from the body as a related list's headline:
    # it was removed, and no title lifted
    for header in (
        ["来源：新华社", "作者：张三", "责任编辑：李四", "2023-05-03 10:12"],
        ["2023-05-03 10:12", "作者：张三", "来源：新华社"],
    ):
        art = _text(["夜班公交再运行一年", *header, *_POST])
        assert art.title == "夜班公交再运行一年", header
        assert (art.author, art.source) == ("张三", "新华社")
        assert art.text.split("\n\n") == _POST
