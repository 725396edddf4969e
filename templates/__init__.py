"""The default theme: page templates, stylesheets, fonts and hyphenation list (package data)."""
