"""The engine facade: one account's SMS and voice, assembled from its parts."""

from __future__ import annotations

from simlab.engage.sms.configuration_sets import ConfigurationSets
from simlab.engage.sms.identities import Identities
from simlab.engage.sms.inbound import Inbound
from simlab.engage.sms.reports import Reports
from simlab.engage.sms.voice import VoiceSending


class SmsVoiceEngine(Inbound, VoiceSending, Reports, Identities, ConfigurationSets):
    """One account's End User Messaging SMS and voice in one Region, on a simulated clock.

    Each part holds one concern and builds on ``EngineCore`` (state and lookups):
    ``Identities`` and ``Pools`` (origination identities), ``ConfigurationSets`` (and event
    destinations), ``KeywordsAndOptOuts``, ``Account`` (tier, spend, the sandbox's verified
    numbers), ``Routing`` (which identity sends), ``Events`` (records and their delivery),
    ``Sending`` and ``VoiceSending``, ``Inbound`` (customer replies) and ``Reports``.

    ``deliver(arn, record)`` writes an event record to a destination ARN (Logs, Firehose, SNS);
    ``publish(topic_arn, text)`` publishes an inbound message to a two-way SNS topic;
    ``new_id()`` returns a fresh UUID string; ``rng(name)`` a seeded random stream.
    """
