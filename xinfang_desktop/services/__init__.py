"""The program's operations, each a function of a session; the window and the command line call them.

What the window reads before its first paint (a page of the matter list and its count, the register
form's choices, today's 接访 roster, the title's settings) is read as rows of the tables
(`Model.__table__`), never through a mapped class: a statement that names one has SQLAlchemy configure
every mapper first, 25 ms the first paint need not wait for. The window has them configured just after
it (Database.configure_models); tests/ui/test_first_paint_imports.py holds both.
"""
