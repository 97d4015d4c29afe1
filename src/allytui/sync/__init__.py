"""Sharing a data repo: pull, merge field by field, push, and every record's history."""
