"""SimPy models of message flows, from one message at a time to billions a day."""
