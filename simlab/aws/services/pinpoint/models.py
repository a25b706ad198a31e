"""The Pinpoint backend: moto's apps and settings, plus simlab's engine for everything else."""

from __future__ import annotations

from moto.pinpoint.models import PinpointBackend

from simlab.engage.templates import TemplateStore


class PinpointEngineBackend(PinpointBackend):
    """moto's Pinpoint backend extended with endpoints, segments, templates and sends."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.templates = TemplateStore()
