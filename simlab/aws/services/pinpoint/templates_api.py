"""Handlers of the message-template operations and PhoneNumberValidate."""


class TemplateHandlers:
    """Mixed into ``PinpointResponse``; one method per operation (snake_case name)."""
