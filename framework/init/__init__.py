"""`measures init`: write a ready force catalogue that builds on the national one."""
