"""SES v2 jobs, tenants, reputation entities and the reports computed from the outbox."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from botocore.exceptions import ClientError

DOMAIN = "school.example"
IDENTITY_ARN = f"arn:aws:ses:us-east-1:123456789012:identity/{DOMAIN}"
SIMPLE = {"Simple": {"Subject": {"Data": "Term dates"}, "Body": {"Text": {"Data": "t"}}}}


@pytest.fixture
def sesv2(aws):
    client = aws.client("sesv2")
    client.create_email_identity(EmailIdentity=DOMAIN)
    return client


@pytest.fixture
def bucket(aws):
    aws.client("s3").create_bucket(Bucket="mail-data")
    return "mail-data"


def _send(aws, sesv2, to: str) -> str:
    aws.clock.advance(1)
    return sesv2.send_email(
        FromEmailAddress=f"office@{DOMAIN}", Destination={"ToAddresses": [to]}, Content=SIMPLE
    )["MessageId"]


def test_an_import_job_fills_the_suppression_list_when_it_runs(aws, sesv2, bucket):
    rows = (
        "emailAddress,reason\n"
        "x@home.example,BOUNCE\nnot-an-address,BOUNCE\ny@home.example,COMPLAINT\n"
    )
    aws.client("s3").put_object(Bucket=bucket, Key="suppress.csv", Body=rows.encode())
    job = sesv2.create_import_job(
        ImportDestination={"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
        ImportDataSource={"S3Url": f"s3://{bucket}/suppress.csv", "DataFormat": "CSV"},
    )["JobId"]
    assert sesv2.get_import_job(JobId=job)["JobStatus"] == "CREATED"
    aws.clock.advance(10)
    done = sesv2.get_import_job(JobId=job)
    assert (done["JobStatus"], done["ProcessedRecordsCount"], done["FailedRecordsCount"]) == (
        "COMPLETED",
        3,
        1,
    )
    listed = sesv2.list_suppressed_destinations()["SuppressedDestinationSummaries"]
    assert sorted(e["EmailAddress"] for e in listed) == ["x@home.example", "y@home.example"]
    assert [j["JobId"] for j in sesv2.list_import_jobs()["ImportJobs"]] == [job]


@pytest.mark.parametrize("url", ["s3://mail-data/missing.csv", "s3://no-such-bucket/a.csv"])
def test_an_import_job_whose_source_is_missing_fails_saying_so(aws, sesv2, bucket, url):
    job = sesv2.create_import_job(
        ImportDestination={"SuppressionListDestination": {"SuppressionListImportAction": "PUT"}},
        ImportDataSource={"S3Url": url, "DataFormat": "CSV"},
    )["JobId"]
    aws.clock.advance(10)
    done = sesv2.get_import_job(JobId=job)
    assert done["JobStatus"] == "FAILED"
    assert done["FailureInfo"]["ErrorMessage"]
    assert sesv2.list_suppressed_destinations()["SuppressedDestinationSummaries"] == []


def test_an_import_job_fills_a_contact_list(aws, sesv2, bucket):
    sesv2.create_contact_list(ContactListName="parents")
    lines = (
        '{"emailAddress": "p@home.example"}\n'
        '{"emailAddress": "q@home.example", "unsubscribeAll": true}\n'
    )
    aws.client("s3").put_object(Bucket=bucket, Key="contacts.json", Body=lines.encode())
    job = sesv2.create_import_job(
        ImportDestination={
            "ContactListDestination": {
                "ContactListName": "parents",
                "ContactListImportAction": "PUT",
            }
        },
        ImportDataSource={"S3Url": f"s3://{bucket}/contacts.json", "DataFormat": "JSON"},
    )["JobId"]
    aws.clock.advance(10)
    assert sesv2.get_import_job(JobId=job)["JobStatus"] == "COMPLETED"
    contacts = sesv2.list_contacts(ContactListName="parents")["Contacts"]
    assert sorted((c["EmailAddress"], c["UnsubscribeAll"]) for c in contacts) == [
        ("p@home.example", False),
        ("q@home.example", True),
    ]


def test_an_export_job_writes_message_insights_to_s3_or_is_cancelled(aws, sesv2, bucket):
    _send(aws, sesv2, "success@simulator.amazonses.com")
    now = aws.clock.now()
    source = {"MessageInsightsDataSource": {"StartDate": now - timedelta(days=1), "EndDate": now}}
    job = sesv2.create_export_job(
        ExportDataSource=source,
        ExportDestination={"DataFormat": "JSON", "S3Url": f"s3://{bucket}/exports"},
    )["JobId"]
    aws.clock.advance(10)
    done = sesv2.get_export_job(JobId=job)
    assert done["JobStatus"] == "COMPLETED"
    assert done["Statistics"]["ExportedRecordsCount"] == 1
    body = aws.client("s3").get_object(Bucket=bucket, Key=f"exports/{job}.json")["Body"].read()
    assert json.loads(body.decode().splitlines()[0])["destination"] == (
        "success@simulator.amazonses.com"
    )
    second = sesv2.create_export_job(
        ExportDataSource=source,
        ExportDestination={"DataFormat": "CSV", "S3Url": f"s3://{bucket}/x"},
    )["JobId"]
    sesv2.cancel_export_job(JobId=second)
    assert sesv2.get_export_job(JobId=second)["JobStatus"] == "CANCELLED"
    with pytest.raises(ClientError) as raised:
        sesv2.cancel_export_job(JobId=job)
    assert raised.value.response["Error"]["Code"] == "ConflictException"
    statuses = {j["JobId"]: j["JobStatus"] for j in sesv2.list_export_jobs()["ExportJobs"]}
    assert statuses == {job: "COMPLETED", second: "CANCELLED"}


def test_tenants_own_resources_whose_reputation_can_be_managed(sesv2):
    created = sesv2.create_tenant(TenantName="acme")
    assert created["SendingStatus"] == "ENABLED"
    sesv2.create_tenant_resource_association(TenantName="acme", ResourceArn=IDENTITY_ARN)
    assert sesv2.list_tenant_resources(TenantName="acme")["TenantResources"] == [
        {"ResourceType": "EMAIL_IDENTITY", "ResourceArn": IDENTITY_ARN}
    ]
    tenants = sesv2.list_resource_tenants(ResourceArn=IDENTITY_ARN)["ResourceTenants"]
    assert [t["TenantName"] for t in tenants] == ["acme"]
    sesv2.put_tenant_suppression_attributes(
        TenantName="acme", SuppressedReasons=["BOUNCE"], SuppressionScope="TENANT"
    )
    tenant = sesv2.get_tenant(TenantName="acme")["Tenant"]
    assert tenant["SuppressionAttributes"] == {
        "SuppressedReasons": ["BOUNCE"],
        "SuppressionScope": "TENANT",
    }
    entity = {"ReputationEntityType": "RESOURCE", "ReputationEntityReference": IDENTITY_ARN}
    sesv2.update_reputation_entity_customer_managed_status(**entity, SendingStatus="DISABLED")
    sesv2.update_reputation_entity_policy(
        **entity, ReputationEntityPolicy="arn:aws:ses:::reputation-policy/strict"
    )
    found = sesv2.get_reputation_entity(**entity)["ReputationEntity"]
    assert found["SendingStatusAggregate"] == "DISABLED"
    assert found["ReputationManagementPolicy"].endswith("/strict")
    assert len(sesv2.list_reputation_entities()["ReputationEntities"]) == 1
    sesv2.delete_tenant_resource_association(TenantName="acme", ResourceArn=IDENTITY_ARN)
    sesv2.delete_tenant(TenantName="acme")
    assert sesv2.list_tenants()["Tenants"] == []
    with pytest.raises(ClientError) as raised:
        sesv2.create_tenant_resource_association(TenantName="nobody", ResourceArn=IDENTITY_ARN)
    assert raised.value.response["Error"]["Code"] == "NotFoundException"


def test_dashboard_reports_count_what_the_outbox_holds(aws, sesv2):
    with pytest.raises(ClientError):
        sesv2.create_deliverability_test_report(FromEmailAddress=f"office@{DOMAIN}", Content=SIMPLE)
    sesv2.put_deliverability_dashboard_option(
        DashboardEnabled=True, SubscribedDomains=[{"Domain": DOMAIN}]
    )
    assert sesv2.get_deliverability_dashboard_options()["AccountStatus"] == "ACTIVE"
    message_id = _send(aws, sesv2, "success@simulator.amazonses.com")
    _send(aws, sesv2, "bounce@simulator.amazonses.com")
    aws.clock.advance(120)
    now = aws.clock.now()
    window = {"StartDate": now - timedelta(days=1), "EndDate": now}
    campaigns = sesv2.list_domain_deliverability_campaigns(SubscribedDomain=DOMAIN, **window)
    (campaign,) = campaigns["DomainDeliverabilityCampaigns"]
    assert (campaign["Subject"], campaign["ProjectedVolume"], campaign["InboxCount"]) == (
        "Term dates",
        2,
        1,
    )
    again = sesv2.get_domain_deliverability_campaign(CampaignId=campaign["CampaignId"])
    assert again["DomainDeliverabilityCampaign"]["InboxCount"] == 1
    report = sesv2.get_domain_statistics_report(Domain=DOMAIN, **window)
    assert report["OverallVolume"]["VolumeStatistics"]["InboxRawCount"] == 1
    metrics = sesv2.batch_get_metric_data(
        Queries=[
            {"Id": "sent", "Namespace": "VDM", "Metric": "SEND", **window},
            {"Id": "bounced", "Namespace": "VDM", "Metric": "PERMANENT_BOUNCE", **window},
        ]
    )
    assert [sum(r["Values"]) for r in metrics["Results"]] == [2, 1]
    insights = sesv2.get_message_insights(MessageId=message_id)
    assert [e["Type"] for e in insights["Insights"][0]["Events"]] == ["SEND", "DELIVERY"]
    recommendations = sesv2.list_recommendations(Filter={"TYPE": "BOUNCE"})["Recommendations"]
    assert recommendations[0]["Status"] == "OPEN"  # one of two bounced
    assert sesv2.get_blacklist_reports(BlacklistItemNames=["198.51.100.10"])["BlacklistReport"] == {
        "198.51.100.10": []
    }


def test_an_inbox_placement_test_completes_on_the_clock(aws, sesv2):
    sesv2.put_deliverability_dashboard_option(DashboardEnabled=True)
    report_id = sesv2.create_deliverability_test_report(
        FromEmailAddress=f"office@{DOMAIN}", Content=SIMPLE, ReportName="first"
    )["ReportId"]
    pending = sesv2.get_deliverability_test_report(ReportId=report_id)
    assert pending["DeliverabilityTestReport"]["DeliverabilityTestStatus"] == "IN_PROGRESS"
    aws.clock.advance(600)
    done = sesv2.get_deliverability_test_report(ReportId=report_id)
    assert done["DeliverabilityTestReport"]["DeliverabilityTestStatus"] == "COMPLETED"
    for placement in done["IspPlacements"]:
        stats = placement["PlacementStatistics"]
        total = stats["InboxPercentage"] + stats["SpamPercentage"] + stats["MissingPercentage"]
        assert total == pytest.approx(100.0)
    listed = sesv2.list_deliverability_test_reports()["DeliverabilityTestReports"]
    assert [r["ReportName"] for r in listed] == ["first"]


def test_address_insights_judge_role_and_suppressed_addresses(sesv2):
    sesv2.put_suppressed_destination(EmailAddress="gone@home.example", Reason="BOUNCE")
    role = sesv2.get_email_address_insights(EmailAddress=f"info@{DOMAIN}")["MailboxValidation"]
    assert role["Evaluations"]["IsRoleAddress"]["ConfidenceVerdict"] == "HIGH"
    assert role["IsValid"]["ConfidenceVerdict"] == "MEDIUM"
    gone = sesv2.get_email_address_insights(EmailAddress="gone@home.example")["MailboxValidation"]
    assert gone["IsValid"]["ConfidenceVerdict"] == "LOW"
