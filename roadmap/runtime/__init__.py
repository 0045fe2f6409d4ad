"""What every stage stands on when it touches the machine: how this process and its children
start and end (``processes``: signals, worker processes) and the one guard every written file
passes (``outputs``). Used by every layer that runs processes or writes files, importing none
of them."""
