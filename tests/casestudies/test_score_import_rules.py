"""The score import's rules on small inputs: row validation, line-and-field errors, what is written and reported."""
