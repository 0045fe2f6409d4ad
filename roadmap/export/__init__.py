"""Exports of a plan for project-management tools: MS Project XML and a milestones CSV."""
