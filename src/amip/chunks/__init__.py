"""Turn the print HTML into a PDF laid out in chunks, in parallel and cached."""
