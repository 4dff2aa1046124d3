"""The business actions that move an order across capabilities, one transaction each.

Taking an order in, releasing a hold, cancelling, shipping, a location's rejection and a
stock count or receipt each touch several capabilities at once — the order, its fulfilment
orders, stock, sourcing. They live here, above all of them, so that no capability has to
call up into another (README: Architecture).
"""
