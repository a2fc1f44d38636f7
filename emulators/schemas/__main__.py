"""`python -m emulators.schemas`: regenerate the shipped JSON Schemas from the models."""

from . import write_all

for path in write_all():
    print(path)
