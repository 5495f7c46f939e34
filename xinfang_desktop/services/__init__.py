"""The program's operations, each a function of a session; the window and the command line call them.

What the window reads before its first paint (opening the file and its schema's version, the title's
settings, the register form's choices and today's 接访 roster, a page of the matter list and its count)
is read as rows through SQLAlchemy Core on a plain connection (Database.rows, ActionRunner.rows), by
services.settings, services.lists and services.search, which name the tables of db.tables and never a
mapped class. The ORM and db.models (some 130 ms) are imported after the paint (Database.configure_models),
with the services that need them; tests/ui/test_first_paint_imports.py holds it.
"""
