"""Turn an organisation's theme folder and design options into what rendering needs (search path, fonts, files)."""
