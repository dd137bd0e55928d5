"""Inputs, results, names and ids shared by the API, workflows and activities. Imports nothing of ours."""
