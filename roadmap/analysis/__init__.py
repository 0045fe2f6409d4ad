"""Many solves over one portfolio: named scenarios, the budget frontier, marginal values of
capacity, batches of solves, and the difference between two plans.
"""
