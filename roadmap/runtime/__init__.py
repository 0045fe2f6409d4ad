"""How this process and its children start and end (signals, worker processes): used by every
layer that runs processes (optimize/milp/, analysis/, report/, cli/), importing none of them."""
