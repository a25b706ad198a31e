"""The journey graph: activities placed by distance from the start, counts from the metrics."""

from matplotlib.figure import Figure

from simlab.engage.journeys import journey_graph
from simlab.plotting import journey_figure

JOURNEY = {
    "Name": "welcome",
    "StartActivity": "welcome",
    "Activities": {
        "welcome": {"EMAIL": {"TemplateName": "w", "NextActivity": "pause"}},
        "pause": {"Wait": {"WaitTime": {"WaitFor": "P1D"}, "NextActivity": "opened"}},
        "opened": {
            "ConditionalSplit": {
                "Condition": {"Conditions": []},
                "TrueActivity": "hold",
                "FalseActivity": "text",
            }
        },
        "hold": {"Holdout": {"Percentage": 20, "NextActivity": "offer"}},
        "offer": {"EMAIL": {"TemplateName": "o"}},
        "text": {"SMS": {"TemplateName": "t"}},
        "orphan": {"EMAIL": {"TemplateName": "o"}},
    },
}
METRICS = {
    "welcome": {"SUCCESS": "10", "ENDPOINT_ACTIVE": "0"},
    "opened": {"TRUE": "4", "FALSE": "6"},
    "hold": {"HOLDOUT": "1", "PASSED": "3"},
}


def test_activities_sit_in_columns_by_their_distance_from_the_start():
    graph = journey_graph(JOURNEY, METRICS)
    columns = {node.id: node.column for node in graph.nodes}
    assert columns == {
        "welcome": 0,
        "pause": 1,
        "opened": 2,
        "hold": 3,
        "text": 3,
        "offer": 4,
        "orphan": 5,
    }
    assert (graph.node("hold").row, graph.node("text").row) == (0, 1)


def test_every_path_is_an_edge_labelled_like_the_api():
    edges = {(e.source, e.target, e.label) for e in journey_graph(JOURNEY, METRICS).edges}
    assert ("opened", "hold", "TRUE") in edges
    assert ("opened", "text", "FALSE") in edges
    assert ("welcome", "pause", "") in edges
    assert len(edges) == 5


def test_counts_come_from_the_metrics_as_numbers_and_show_on_the_label():
    graph = journey_graph(JOURNEY, METRICS)
    assert graph.node("welcome").counts == {"SUCCESS": 10}
    assert graph.node("pause").counts == {}
    assert graph.node("hold").label == "hold (Holdout)\nHOLDOUT 1\nPASSED 3"


def test_the_figure_draws_a_box_per_activity_and_an_arrow_per_path():
    graph = journey_graph(JOURNEY, METRICS)
    figure = journey_figure(graph)
    assert isinstance(figure, Figure)
    axes = figure.axes[0]
    boxes = [t.get_text() for t in axes.texts if t.get_bbox_patch() is not None]
    assert sorted(b.split(" ")[0] for b in boxes) == sorted(JOURNEY["Activities"])
    assert len([t for t in axes.texts if getattr(t, "arrow_patch", None)]) == 5
    assert axes.get_title() == "journey welcome"


def test_the_graph_of_a_journey_run_by_the_local_aws_carries_its_api_counts(aws):
    pinpoint = aws.client("pinpoint")
    app_id = pinpoint.create_app(CreateApplicationRequest={"Name": "t"})["ApplicationResponse"][
        "Id"
    ]
    sesv2 = aws.client("sesv2")
    sesv2.create_email_identity(EmailIdentity="news@example.com")
    sesv2.put_account_details(
        MailType="MARKETING",
        WebsiteURL="https://example.com",
        UseCaseDescription="welcome",
        ProductionAccessEnabled=True,
    )
    pinpoint.update_email_channel(
        ApplicationId=app_id,
        EmailChannelRequest={
            "FromAddress": "news@example.com",
            "Identity": "arn:aws:ses:us-east-1:123456789012:identity/news@example.com",
            "Enabled": True,
        },
    )
    items = [
        {"Id": f"reader-{i}", "ChannelType": "EMAIL", "Address": f"r{i}@example.com"}
        for i in range(20)
    ]
    pinpoint.update_endpoints_batch(ApplicationId=app_id, EndpointBatchRequest={"Item": items})
    segment = pinpoint.create_segment(
        ApplicationId=app_id, WriteSegmentRequest={"Name": "all", "Dimensions": {}}
    )["SegmentResponse"]["Id"]
    pinpoint.create_email_template(
        TemplateName="hello", EmailTemplateRequest={"Subject": "Hi", "TextPart": "Hi"}
    )
    journey_id = pinpoint.create_journey(
        ApplicationId=app_id,
        WriteJourneyRequest={
            "Name": "hello",
            "State": "ACTIVE",
            "StartCondition": {"SegmentStartCondition": {"SegmentId": segment}},
            "StartActivity": "hello",
            "Activities": {
                "hello": {"EMAIL": {"TemplateName": "hello", "NextActivity": "pause"}},
                "pause": {"Wait": {"WaitTime": {"WaitFor": "PT1H"}, "NextActivity": "hold"}},
                "hold": {"Holdout": {"Percentage": 50, "NextActivity": "again"}},
                "again": {"EMAIL": {"TemplateName": "hello"}},
            },
        },
    )["JourneyResponse"]["Id"]
    aws.clock.advance(86_400)
    journey = pinpoint.get_journey(ApplicationId=app_id, JourneyId=journey_id)["JourneyResponse"]
    metrics = {
        activity_id: pinpoint.get_journey_execution_activity_metrics(
            ApplicationId=app_id, JourneyId=journey_id, JourneyActivityId=activity_id
        )["JourneyExecutionActivityMetricsResponse"]["Metrics"]
        for activity_id in journey["Activities"]
    }
    graph = journey_graph(journey, metrics)
    assert [n.id for n in graph.nodes] == ["hello", "pause", "hold", "again"]
    for node in graph.nodes:
        shown = {k: int(v) for k, v in metrics[node.id].items() if k != "ENDPOINT_ACTIVE"}
        assert node.counts == shown
    hold = graph.node("hold").counts
    assert hold["HOLDOUT"] + hold["PASSED"] == 20
    assert sum(graph.node("again").counts.values()) == hold["PASSED"]
