"""What every stage stands on when it touches the machine: how this process and its children
start and end (``processes``: signals, worker processes), the one guard every written file
passes (``outputs``) and large steps run without the cycle collector (``bulk``). Used by every layer that runs processes or writes files, importing none
of them."""
