"""Handlers of SendOTPMessage and VerifyOTPMessage."""


class OtpHandlers:
    """Mixed into ``PinpointResponse``; one method per operation (snake_case name)."""
