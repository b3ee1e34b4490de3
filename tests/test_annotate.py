"""annotate(): references marked in escaped HTML."""
from html.parser import HTMLParser

from graphbuild.annotate import annotate
from graphbuild.refs import Reference, find_refs

NOTICE = "根据中共长治市委办公室关于印发《长治市创建全国禁毒示范城市工作方案》的通知（室字〔2022〕38号）"


class _Marks(HTMLParser):
    """The text of an HTML fragment, and each mark's (start, end, attrs) in that text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.open, self.marks = "", [], []

    def handle_starttag(self, tag, attrs):
        assert tag == "mark"
        self.open.append((len(self.text), dict(attrs)))

    def handle_endtag(self, tag):
        assert tag == "mark"
        start, attrs = self.open.pop()
        self.marks.append((start, len(self.text), attrs))

    def handle_data(self, data):
        self.text += data


def parse(html: str) -> _Marks:
    p = _Marks()
    p.feed(html)
    p.close()
    assert p.open == []
    return p


def ref(start, end, key, text, title=None):
    return Reference(key=key, kind="标题", start=start, end=end, surface=text[start:end], title=title)


def test_text_is_escaped():
    text = '<script>alert("x")</script> & 根据晋财教〔2023〕81号'
    html = annotate(text)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert parse(html).text == text


def test_marks_sit_on_exact_offsets_with_keys():
    p = parse(annotate(NOTICE))
    refs = find_refs(NOTICE)
    assert sorted((s, e, a["data-key"]) for s, e, a in p.marks) == sorted(
        (r.start, r.end, r.key) for r in refs)
    assert {a["class"] for _, _, a in p.marks} == {"ref"}
    assert {a["data-key"] for _, _, a in p.marks} == {
        "中共长治市委办公室 室字〔2022〕38号", "title:长治市创建全国禁毒示范城市工作方案"}
    assert p.text == NOTICE


def test_attribute_values_are_escaped():
    text = "见《A\"B<C>》"
    html = annotate(text, [ref(1, len(text), 'title:A"B<C>', text, title='A"B<C>')])
    (start, end, attrs), = parse(html).marks
    assert (start, end, attrs["data-key"], attrs["title"]) == (1, len(text), 'title:A"B<C>', 'A"B<C>')
    assert '"B' not in html.replace('&quot;B', "")


def test_nested_marks_nest_and_crossing_ones_yield_to_the_outer():
    text = "0123456789"
    refs = [ref(2, 8, "outer", text), ref(3, 5, "inner", text), ref(6, 9, "crossing", text),
            ref(8, 10, "after", text)]
    p = parse(annotate(text, refs))
    assert sorted((s, e, a["data-key"]) for s, e, a in p.marks) == [
        (2, 8, "outer"), (3, 5, "inner"), (8, 10, "after")]
    assert p.text == text


def test_no_references_is_plain_escaped_text():
    assert annotate("a < b", []) == "a &lt; b"
