"""The application layer, directly under the command line: what a command does from a loaded
portfolio to its written files, chaining the stages (optimize, analysis, report, export) so the
click commands only parse, call, print and map errors to exit codes, and so tests and other
front ends get the same plans and the same files."""
