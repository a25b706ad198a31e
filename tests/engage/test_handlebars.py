"""The sandboxed Handlebars engine: the language it reads, what data can reach, its bounds."""

from __future__ import annotations

import pytest

from simlab.engage.handlebars import (
    BUILTIN_HELPERS,
    LimitExceeded,
    Limits,
    MissingPartial,
    RenderError,
    TemplateSyntaxError,
    UnknownHelper,
    compile_template,
    render,
)
from simlab.engage.handlebars.cache import ByteLRU

ORDER = {
    "name": "Ann",
    "vip": True,
    "items": [{"title": "pen", "qty": 2}, {"title": "ink", "qty": 1}],
    "address": {"city": "Hanoi", "zip": "100000"},
    "tags": {"a": 1, "b": 2},
}

# The language -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Hi {{name}}, {{address.city}} {{address.[zip]}}", "Hi Ann, Hanoi 100000"),
        (
            "{{#each items}}{{@index}}:{{title}}x{{qty}}{{#unless @last}}, {{/unless}}{{/each}}",
            "0:penx2, 1:inkx1",
        ),
        ("{{#each tags}}{{@key}}={{this}};{{/each}}", "a=1;b=2;"),
        ("{{#each items}}{{../name}}/{{@root.name}} {{/each}}", "Ann/Ann Ann/Ann "),
        ("{{#if vip}}VIP{{else}}regular{{/if}}", "VIP"),
        ("{{#if nobody}}A{{else if vip}}B{{else}}C{{/if}}", "B"),
        ("{{^nobody}}none{{/nobody}}{{#address}}{{city}}{{/address}}", "noneHanoi"),
        ("{{#with address}}{{city}}{{/with}} {{lookup address 'zip'}}", "Hanoi 100000"),
        ("{{items.length}} {{items.1.title}} {{items.[0].title}}", "2 ink pen"),
        ("a {{~name~}} b {{! note }}{{!-- {{name}} --}}", "aAnnb "),
        ('{{#*inline "who"}}<{{name}}>{{/inline}}{{> who}} {{> who address}}', "<Ann> <>"),
        (
            "<ul>\n  {{#each items}}\n  <li>{{title}}</li>\n  {{/each}}\n</ul>\n",
            "<ul>\n  <li>pen</li>\n  <li>ink</li>\n</ul>\n",
        ),
        ("\\{{name}} {{log name}}", "{{name}} "),
    ],
)
def test_handlebars_features_render_as_handlebars_js_does(source, expected):
    assert render(source, ORDER) == expected


def test_values_escape_for_html_unless_triple_stashed():
    data = {"who": "Tom & <Jerry> \"'`="}
    assert render("{{who}}|{{{who}}}|{{&who}}", data) == (
        "Tom &amp; &lt;Jerry&gt; &quot;&#x27;&#x60;&#x3D;|" + data["who"] + "|" + data["who"]
    )
    assert render("{{who}}", data, escape=False) == data["who"]


def test_values_show_as_javascript_shows_them():
    data = {"n": 5.0, "f": 2.5, "t": True, "none": None, "list": ["a", 1], "map": {"k": 1}}
    assert render("{{n}} {{f}} {{t}} [{{none}}] {{list}} {{map}}", data) == (
        "5 2.5 true [] a,1 [object Object]"
    )


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("{{#if x}}open", "{{#if}} is never closed (line 1)"),
        ("line\nHi {{name", "never closed with }} (line 2)"),
        ("{{/if}}", "closes no open block"),
        ("{{#if x}}{{/each}}", "expected {{/if}}"),
        ("{{else}}", "outside a block"),
        ("{{#each xs as |x|}}{{/each}}", "block parameters"),
        ("{{a..b}}", "not a valid path"),
        ("{{f (g x}}", "never closed with ')'"),
        ("{{}}", "nothing to show"),
        ("{{#*decorate}}{{/decorate}}", "inline decorator"),
    ],
)
def test_syntax_errors_say_what_and_where(source, words):
    with pytest.raises(TemplateSyntaxError) as caught:
        compile_template(source)
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("source", "error", "words"),
    [
        ("{{shout name}}", UnknownHelper, "'shout' is not a helper"),
        ("{{#shout name}}x{{/shout}}", UnknownHelper, "'shout'"),
        ("{{lookup (shout name) 'a'}}", UnknownHelper, "'shout'"),
        ("{{> nowhere}}", MissingPartial, "'nowhere' is not defined"),
        ("{{lookup name}}", RenderError, "lookup takes 2 values, got 1"),
    ],
)
def test_render_errors_are_engine_errors_never_python_ones(source, error, words):
    with pytest.raises(error) as caught:
        render(source, ORDER)
    assert words in caught.value.message


# The sandbox ------------------------------------------------------------------------------------

FORMAT_ATTACK = "{0.__class__.__init__.__globals__[sys].modules[os].environ}"


@pytest.mark.parametrize(
    "source",
    [
        "{{x.format}}",
        "{{x.__class__}}",
        "{{x.upper}}",
        "{{x.__class__.__init__.__globals__}}",
        "{{#with x}}{{format}}{{__class__}}{{/with}}",
        "{{lookup x 'format'}}{{lookup x '__class__'}}",
        "{{#each x}}{{this}}{{/each}}",
    ],
)
def test_paths_reach_only_keys_and_indexes_and_nothing_is_called(source):
    assert render(source, {"x": FORMAT_ATTACK}) == ""


def test_a_format_string_in_the_data_is_just_text():
    assert render("{{x}}", {"x": "{0!s:>20000000}"}, escape=False) == "{0!s:>20000000}"
    assert render("{{x}}", {"x": FORMAT_ATTACK}, escape=False) == FORMAT_ATTACK


def test_only_registered_helpers_run_even_when_data_holds_their_names():
    assert render("{{upper}} {{lower.x}}", {"upper": "U", "lower": {"x": "l"}}) == "U l"
    with pytest.raises(UnknownHelper):
        render("{{upper name}}", {"upper": "U", "name": "n"})


# Bounds -----------------------------------------------------------------------------------------


def test_blocks_nested_deeper_than_the_bound_are_a_syntax_error():
    limit = Limits().max_depth
    fine = "{{#if a}}" * limit + "deep" + "{{/if}}" * limit
    assert render(fine, {"a": 1}) == "deep"
    too_deep = "{{#if a}}" * 300 + "x" + "{{/if}}" * 300
    with pytest.raises(TemplateSyntaxError, match=f"nest more than {limit} deep"):
        compile_template(too_deep)


def test_recursive_partials_stop_at_the_depth_bound():
    source = '{{#*inline "loop"}}x{{> loop}}{{/inline}}{{> loop}}'
    with pytest.raises(LimitExceeded, match="nest more than 64 deep"):
        render(source, {})


def test_a_tree_shaped_partial_recursion_within_the_bound_renders():
    source = '{{#*inline "node"}}({{name}}{{#each kids}}{{> node}}{{/each}}){{/inline}}{{> node}}'
    tree = {"name": "a", "kids": [{"name": "b", "kids": [{"name": "c"}]}, {"name": "d"}]}
    assert render(source, tree) == "(a(b(c))(d))"


def test_output_is_bounded():
    limits = Limits(max_output=1_000)
    with pytest.raises(LimitExceeded, match="exceed 1000 characters"):
        render("{{#each xs}}{{this}}{{/each}}", {"xs": ["y" * 100] * 11}, limits=limits)
    assert (
        len(render("{{#each xs}}{{this}}{{/each}}", {"xs": ["y" * 100] * 10}, limits=limits))
        == 1000
    )


def test_work_is_bounded_even_when_nothing_is_printed():
    nested = "{{#each xs}}{{#each ../xs}}{{#each ../../xs}}{{/each}}{{/each}}{{/each}}"
    with pytest.raises(LimitExceeded, match="steps"):
        render(nested, {"xs": list(range(200))}, limits=Limits(max_steps=100_000))


def test_a_500_kb_template_compiles_and_renders_exactly():
    unit = "<p>Dear {{name}}, {{#if vip}}thanks for being VIP{{else}}welcome{{/if}}.</p>\n"
    copies = 500_000 // len(unit) + 1
    source = unit * copies
    assert len(source) >= 500_000
    assert render(source, {"name": "Ann", "vip": False}) == ("<p>Dear Ann, welcome.</p>\n" * copies)


# The cache --------------------------------------------------------------------------------------


class Sized:
    def __init__(self, weight: int) -> None:
        self.weight = weight


def test_the_cache_keeps_recent_entries_within_its_byte_budget():
    cache: ByteLRU[Sized] = ByteLRU(max_bytes=100)
    for key in "abc":
        cache.put(key, Sized(40))
    assert (len(cache), cache.bytes) == (2, 80)
    assert cache.get_or_build("b", lambda: Sized(1)).weight == 40
    cache.put("d", Sized(40))
    assert cache.get_or_build("c", lambda: Sized(10)).weight == 10
    cache.put("huge", Sized(101))
    assert cache.bytes <= 100
    assert cache.get_or_build("huge", lambda: Sized(5)).weight == 5


def test_compiled_templates_are_shared_from_the_cache():
    assert compile_template("{{a}} cached") is compile_template("{{a}} cached")


def test_the_builtin_registry_holds_handlebars_builtins():
    assert sorted(BUILTIN_HELPERS) == ["each", "if", "log", "lookup", "unless", "with"]
