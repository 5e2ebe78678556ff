"""bench/seed.py's parts: the vocabulary, random draws, COPY rows, and one module per kind of row.

Only bench/seed.py imports them, after setting Django up.
"""
