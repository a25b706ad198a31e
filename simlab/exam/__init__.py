"""Study material for the certification exams: figures tied to facts, the quiz bank and drill."""
