"""Message templates: versions as Pinpoint keeps them, and rendering as Pinpoint fills them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from simlab.engage.templates import (
    TemplateError,
    TemplateNotFoundError,
    TemplateRenderError,
    TemplateStore,
    TemplateSyntaxError,
    endpoint_context,
    preview,
    render,
)
from simlab.facts import pinpoint as facts

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)
T2 = T0 + timedelta(hours=2)

ENDPOINT = {
    "Id": "ep-1",
    "Address": "jane@example.com",
    "ChannelType": "EMAIL",
    "Attributes": {"Plan": ["gold"], "Interests": ["running", "cycling"]},
    "Metrics": {"Visits": 5.0, "CartValue": 42.5},
    "Demographic": {"Timezone": "America/Los_Angeles"},
    "Location": {"City": "Los Angeles", "Country": "US"},
    "User": {
        "UserId": "user-1",
        "UserAttributes": {"FirstName": ["Jane"], "LastName": ["Alejandro"], "Age": ["22"]},
    },
}


@pytest.fixture
def store() -> TemplateStore:
    store = TemplateStore()
    store.create("welcome", "EMAIL", {"Subject": "Hi", "HtmlPart": "<p>v1</p>"}, now=T0)
    return store


# Versions ---------------------------------------------------------------------------------------


def test_a_new_template_is_version_1_and_active(store):
    got = store.get("welcome", "EMAIL")
    assert (got.version, got.created, got.modified) == (1, T0, T0)
    assert store.template("welcome", "EMAIL").active == 1


def test_update_overwrites_the_latest_version_by_default(store):
    store.update("welcome", "EMAIL", {"Subject": "Hello", "HtmlPart": "<p>v1b</p>"}, now=T1)
    got = store.get("welcome", "EMAIL")
    assert (got.version, got.content["Subject"], got.created, got.modified) == (1, "Hello", T0, T1)


def test_a_new_version_is_numbered_next_and_does_not_become_active(store):
    saved = store.update("welcome", "EMAIL", {"Subject": "v2"}, now=T1, create_new_version=True)
    assert saved.version == 2
    assert store.get("welcome", "EMAIL").version == 1
    assert store.get("welcome", "EMAIL", "2").content == {"Subject": "v2"}


def test_version_on_update_must_be_the_latest(store):
    store.update("welcome", "EMAIL", {"Subject": "v2"}, now=T1, create_new_version=True)
    with pytest.raises(TemplateError, match="not the latest") as caught:
        store.update("welcome", "EMAIL", {"Subject": "x"}, now=T2, version=1)
    assert caught.value.field == "Version"
    assert store.update("welcome", "EMAIL", {"Subject": "v2b"}, now=T2, version=2).version == 2


def test_version_and_create_new_version_together_are_refused(store):
    with pytest.raises(TemplateError, match="not both"):
        store.update("welcome", "EMAIL", {}, now=T1, version=1, create_new_version=True)


def test_latest_can_be_made_active(store):
    store.update("welcome", "EMAIL", {"Subject": "v2"}, now=T1, create_new_version=True)
    assert store.set_active_version("welcome", "EMAIL", "latest").version == 2
    assert store.get("welcome", "EMAIL").content["Subject"] == "v2"
    assert store.set_active_version("welcome", "EMAIL", 1).version == 1


def test_versions_list_newest_first_and_page(store):
    for n in range(2, 6):
        store.update("welcome", "EMAIL", {"Subject": f"v{n}"}, now=T1, create_new_version=True)
    page, token = store.list_versions("welcome", "EMAIL", page_size=2)
    assert [v.version for v in page] == [5, 4]
    page, token = store.list_versions("welcome", "EMAIL", page_size=2, next_token=token)
    assert [v.version for v in page] == [3, 2]
    page, token = store.list_versions("welcome", "EMAIL", page_size=2, next_token=token)
    assert ([v.version for v in page], token) == ([1], None)


def test_deleting_a_version_never_frees_its_number(store):
    store.update("welcome", "EMAIL", {"Subject": "v2"}, now=T1, create_new_version=True)
    store.delete("welcome", "EMAIL", version=2)
    saved = store.update("welcome", "EMAIL", {"Subject": "v3"}, now=T2, create_new_version=True)
    assert saved.version == 3
    assert [v.version for v in store.list_versions("welcome", "EMAIL")[0]] == [3, 1]


def test_the_active_version_cannot_be_deleted_while_others_remain(store):
    store.update("welcome", "EMAIL", {"Subject": "v2"}, now=T1, create_new_version=True)
    with pytest.raises(TemplateError, match="active version"):
        store.delete("welcome", "EMAIL", version=1)
    assert store.get("welcome", "EMAIL").version == 1


def test_deleting_the_last_version_deletes_the_template(store):
    store.delete("welcome", "EMAIL", version=1)
    assert ("welcome", "EMAIL") not in store


def test_delete_without_version_removes_every_version(store):
    store.update("welcome", "EMAIL", {"Subject": "v2"}, now=T1, create_new_version=True)
    store.delete("welcome", "EMAIL")
    with pytest.raises(TemplateNotFoundError, match="'welcome' of type EMAIL"):
        store.get("welcome", "EMAIL")


def test_missing_version_names_template_type_and_version(store):
    with pytest.raises(TemplateNotFoundError) as caught:
        store.get("welcome", "EMAIL", 7)
    assert str(caught.value) == "Version 7 of template 'welcome' of type EMAIL does not exist"


def test_names_are_per_type_and_listed_by_type_and_prefix(store):
    store.create("welcome", "SMS", {"Body": "Hi"}, now=T0)
    store.create("weekly", "SMS", {"Body": "News"}, now=T0)
    store.create("alert", "PUSH", {"Default": {"Body": "!"}}, now=T0)
    listed = lambda **kw: [(t.name, t.type) for t in store.list(**kw)[0]]  # noqa: E731
    assert listed() == [
        ("alert", "PUSH"),
        ("weekly", "SMS"),
        ("welcome", "EMAIL"),
        ("welcome", "SMS"),
    ]
    assert listed(template_type="sms") == [("weekly", "SMS"), ("welcome", "SMS")]
    assert listed(prefix="wel") == [("welcome", "EMAIL"), ("welcome", "SMS")]


def test_creating_a_template_twice_is_refused(store):
    with pytest.raises(TemplateError, match="already exists"):
        store.create("welcome", "EMAIL", {"Subject": "again"}, now=T1)
    assert store.get("welcome", "EMAIL").content["Subject"] == "Hi"


@pytest.mark.parametrize("name", ["", "has space", "-leading", "a" * 129, "dot.ted"])
def test_bad_names_are_refused(name):
    with pytest.raises(TemplateError) as caught:
        TemplateStore().create(name, "SMS", {"Body": "x"}, now=T0)
    assert caught.value.field == "TemplateName"


def test_a_128_character_name_with_dash_and_underscore_is_fine():
    name = "A1_-" + "b" * 124
    assert TemplateStore().create(name, "SMS", {"Body": "x"}, now=T0).name == name


@pytest.mark.parametrize(
    "template_type, content, field",
    [
        ("SMS", {"Body": "x" * (facts.TEMPLATE_MAX_CHARS.value["SMS"] + 1)}, "Body"),
        ("VOICE", {"Body": "x" * (facts.TEMPLATE_MAX_CHARS.value["VOICE"] + 1)}, "Body"),
        ("PUSH", {"GCM": {"Body": "x" * 4_001}}, "GCM"),
        ("EMAIL", {"Headers": [{"Name": f"X-{i}", "Value": "v"} for i in range(16)]}, "Headers"),
        ("EMAIL", {"DefaultSubstitutions": "{not json"}, "DefaultSubstitutions"),
        ("EMAIL", {"DefaultSubstitutions": "[1, 2]"}, "DefaultSubstitutions"),
        ("SMS", {"Subject": "SMS has no subject"}, "Subject"),
        ("INAPP", {"Layout": "SIDEBAR"}, "Layout"),
        ("INAPP", {"Content": [{"BackgroundColor": "#fff"}] * 6}, "Content"),
        (
            "INAPP",
            {"Content": [{"BodyConfig": {"Alignment": "LEFT"}}]},
            "Content[0].BodyConfig.Body",
        ),
        ("PUSH", {"APNS": {"Action": "LAUNCH"}}, "APNS.Action"),
    ],
)
def test_bad_content_names_the_field(template_type, content, field):
    with pytest.raises(TemplateError) as caught:
        TemplateStore().create("t", template_type, content, now=T0)
    assert caught.value.field == field


def test_the_adm_push_part_may_be_longer_than_the_others():
    content = {"ADM": {"Body": "x" * 6_000}}
    assert TemplateStore().create("t", "PUSH", content, now=T0).version == 1


def test_invalid_handlebars_is_refused_naming_the_part():
    with pytest.raises(TemplateSyntaxError, match="HtmlPart") as caught:
        TemplateStore().create("t", "EMAIL", {"Subject": "ok", "HtmlPart": "{{#if x}}"}, now=T0)
    assert caught.value.field == "HtmlPart"


def test_invalid_handlebars_in_a_push_service_names_service_and_field():
    with pytest.raises(TemplateSyntaxError) as caught:
        TemplateStore().create("t", "PUSH", {"APNS": {"Title": "{{/each}}"}}, now=T0)
    assert caught.value.field == "APNS.Title"


# Rendering --------------------------------------------------------------------------------------


def fill(source: str, **kw) -> str:
    return render(source, endpoint_context(ENDPOINT), now=T0, **kw)


def test_standard_and_custom_attributes_fill_the_variables():
    text = (
        "{{User.UserAttributes.FirstName}} {{User.UserId}} {{Attributes.Plan}} "
        "{{Metrics.Visits}} {{Metrics.CartValue}} {{Demographic.Timezone}} {{Location.City}} "
        "{{Address}} {{Id}} {{ChannelType}}"
    )
    assert fill(text) == (
        "Jane user-1 gold 5 42.5 America/Los_Angeles Los Angeles jane@example.com ep-1 EMAIL"
    )


def test_a_list_attribute_shows_its_values_and_index_picks_one():
    assert (
        fill("{{Attributes.Interests}}|{{Attributes.Interests.[1]}}") == "running,cycling|cycling"
    )


def test_a_variable_without_value_or_default_is_omitted():
    assert fill("Hi {{User.UserAttributes.Nickname}}!") == "Hi !"


def test_defaults_fill_only_missing_values_and_substitutions_win():
    defaults = json.dumps(
        {"User.UserAttributes.Activity": "running", "User.UserAttributes.FirstName": "friend"}
    )
    context = endpoint_context(ENDPOINT, defaults, {"Attributes.Plan": ["platinum"]})
    source = (
        "{{User.UserAttributes.FirstName}} {{User.UserAttributes.Activity.[0]}} {{Attributes.Plan}}"
    )
    assert render(source, context) == "Jane running platinum"


def test_each_lists_at_most_fifteen_items():
    limit = facts.MAX_EACH_HELPER_ITEMS.value
    context = endpoint_context({"Attributes": {"Codes": [str(i) for i in range(20)]}})
    rendered = render("{{#each Attributes.Codes}}[{{this}}]{{/each}}", context)
    assert rendered == "".join(f"[{i}]" for i in range(limit))


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{{#each User.UserAttributes.Missing}}x{{else}}none{{/each}}", "none"),
        (
            "{{#if User.UserAttributes.FirstName.[0]}}"
            "Hello {{User.UserAttributes.FirstName.[0]}},{{else}}Hello,{{/if}}",
            "Hello Jane,",
        ),
        (
            '{{#and (eq Location.City "Los Angeles") (eq Location.Country "US")}}'
            "LA{{else}}no{{/and}}",
            "LA",
        ),
        (
            '{{#or (eq Location.City "Seattle") (eq Location.City "Los Angeles")}}'
            "West{{else}}no{{/or}}",
            "West",
        ),
        ('{{#gt User.UserAttributes.Age.[0] "17"}}adult{{else}}minor{{/gt}}', "adult"),
        ('{{#lt User.UserAttributes.Age.[0] "18"}}minor{{else}}adult{{/lt}}', "adult"),
        ('{{#not (eq User.UserAttributes.FirstName.[0] "Jane")}}other{{else}}Jane{{/not}}', "Jane"),
        ("{{eq Location.Country 'US' yes='y' no='n'}} {{neq 1 1}}", "y false"),
        ("{{abbreviate User.UserAttributes.LastName.[0] 6}}", "Ale..."),
        ("{{capitalize 'my first post'}}", "My First Post"),
        ("{{capitalizeFirst 'my first post'}}", "My first post"),
        ("[{{center Location.City size=19}}]", "[    Los Angeles    ]"),
        ("{{cut Location.City 'e'}}", "Los Angls"),
        (
            '{{dateFormat "09/19/2020" inputFormat="MM/dd/yyyy" outputFormat="full" '
            "tz=America/Los_Angeles}}",
            "Saturday, September 19, 2020",
        ),
        (
            '{{dateFormat "2020-09-19T03:00:00Z" outputFormat="short" tz=America/Los_Angeles}}',
            "9/18/20",
        ),
        (
            '{{dateFormat "2020-09-19T10:05:00Z" outputFormat="yyyy-MM-dd HH:mm" '
            "tz=Asia/Ho_Chi_Minh}}",
            "2020-09-19 17:05",
        ),
        (
            "{{inflect 3 'apple' 'apples' includeCount=true}} / {{inflect 1 'apple' 'apples'}}",
            "3 apples / apple",
        ),
        ("{{join Attributes.Interests ', '}}", "running, cycling"),
        (
            "[{{ljust Location.City 15}}][{{rjust Location.City 15}}]",
            "[Los Angeles    ][    Los Angeles]",
        ),
        ("{{lower 'Santos'}} {{upper 'Roe'}}", "santos ROE"),
        (
            "{{ordinalize User.UserAttributes.Age.[0]}} {{ordinalize 11}} {{ordinalize 101}}",
            "22nd 11th 101st",
        ),
        ("{{replace Location.City ' ' '_'}}", "Los_Angeles"),
        ("{{slugify Location.City}}", "los-angeles"),
        ("{{stripTags '<h1>Art</h1>'}}", "Art"),
        ("{{substring Location.City 4 9}}", "Angel"),
        ("{{yesno 'true'}} {{yesno 'false'}} {{yesno Attributes.Unknown}}", "yes no maybe"),
        (
            "{{add 5 2.3}} {{subtract 5 2.3}} {{multiply 5 2.3}} {{divide 5 2.3}}",
            "7.3 2.7 11.5 2.17391304",
        ),
        ("{{modulo 7 2}} {{ceiling 5.23}} {{floor 5.23}} {{round 19.21}}", "1 6 5 19"),
        (
            "{{encode64 'Hello World'}} {{decode64 'SGVsbG8gV29ybGQ='}}",
            "SGVsbG8gV29ybGQ= Hello World",
        ),
        (
            "{{sha256 'Hello World'}}",
            "a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e",
        ),
        ('{{capitalizeFirst (lower "JANE")}}', "Jane"),
        (
            '{{#* inline "fullName"}}{{User.UserAttributes.FirstName.[0]}} '
            "{{User.UserAttributes.LastName.[0]}}{{/inline}}Hello {{> fullName}}",
            "Hello Jane Alejandro",
        ),
    ],
)
def test_documented_helpers_give_the_documented_results(source, expected):
    assert fill(source) == expected


def test_now_shows_the_time_it_is_given_in_the_zone_asked_for():
    assert fill("{{now}}") == "Jan 5, 2026"
    assert render('{{now "full" tz=America/Los_Angeles}}', {}, now=T0) == "Monday, January 5, 2026"
    assert render('{{now "HH:mm"}}', {}, now=T0 + timedelta(minutes=7)) == "09:07"


def test_uuid_comes_from_the_random_stream_given():
    first = render("{{uuid}}", {}, rng=np.random.default_rng(7))
    assert first == render("{{uuid}}", {}, rng=np.random.default_rng(7))
    assert first != render("{{uuid}}", {}, rng=np.random.default_rng(8))
    assert first[14] == "4"


def test_only_html_parts_escape_values():
    context = {"Name": "Tom & <Jerry>"}
    assert render("{{Name}}", context) == "Tom & <Jerry>"
    assert render("<b>{{Name}}</b>", context, html=True) == "<b>Tom &amp; &lt;Jerry&gt;</b>"


@pytest.mark.parametrize(
    "source, message",
    [
        ("{{#if x}}open", "never closed"),
        ("Hi {{name", "never closed"),
        ("{{/if}}", "closes no open block"),
        ("{{#if x}}{{/each}}", "expected {{/if}}"),
        ("{{else}}", "outside a block"),
    ],
)
def test_syntax_errors_name_the_part(source, message):
    with pytest.raises(TemplateSyntaxError, match=message) as caught:
        render(source, {}, part="TextPart")
    assert caught.value.field == "TextPart"


@pytest.mark.parametrize(
    "source, message",
    [
        ("{{shout 'hi'}}", "'shout' is not a helper"),
        ("{{divide 1 0}}", "divide cannot divide by zero"),
        ("{{abbreviate 'abcdef' 2}}", "abbreviate needs a whole number >= 4"),
        ("{{inflect 2 apple apples}}", "in quotes"),
        ('{{dateFormat "19.09.2020"}}', "inputFormat"),
        ('{{now tz="Mars/Olympus"}}', "not a tz database"),
    ],
)
def test_render_errors_name_the_part_and_the_helper(source, message):
    with pytest.raises(TemplateRenderError, match=message) as caught:
        render(source, {}, part="Body")
    assert caught.value.field == "Body"


def test_preview_renders_every_part_of_an_email_with_defaults():
    store = TemplateStore()
    saved = store.create(
        "welcome",
        "EMAIL",
        {
            "Subject": "Hi {{User.UserAttributes.FirstName}}",
            "HtmlPart": "<p>{{Attributes.Plan}} & {{User.UserAttributes.Activity}}</p>",
            "TextPart": "{{Attributes.Plan}} & {{User.UserAttributes.Activity}}",
            "Headers": [{"Name": "X-Plan", "Value": "{{Attributes.Plan}}"}],
            "DefaultSubstitutions": json.dumps({"User.UserAttributes.Activity": "running"}),
            "TemplateDescription": "not rendered",
        },
        now=T0,
    )
    assert preview(saved, ENDPOINT) == {
        "Subject": "Hi Jane",
        "HtmlPart": "<p>gold & running</p>",
        "TextPart": "gold & running",
        "Headers": [{"Name": "X-Plan", "Value": "gold"}],
    }


def test_preview_renders_each_push_service_and_message_substitutions_win():
    saved = TemplateStore().create(
        "alert",
        "PUSH",
        {
            "Default": {"Title": "Hi {{User.UserAttributes.FirstName}}", "Action": "OPEN_APP"},
            "APNS": {"Body": "{{Attributes.Plan}} plan", "Sound": "default"},
        },
        now=T0,
    )
    rendered = preview(saved, ENDPOINT, {"User.UserAttributes.FirstName": ["Sofia"]})
    assert rendered == {
        "Default": {"Title": "Hi Sofia", "Action": "OPEN_APP"},
        "APNS": {"Body": "gold plan", "Sound": "default"},
    }


def test_in_app_templates_have_no_variables_to_fill():
    content = {
        "Layout": "TOP_BANNER",
        "Content": [{"BodyConfig": {"Alignment": "LEFT", "Body": "{{x}}", "TextColor": "#000"}}],
    }
    saved = TemplateStore().create("banner", "INAPP", content, now=T0)
    assert preview(saved, ENDPOINT) == content
