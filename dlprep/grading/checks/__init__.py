"""One module per kata: its cases and how to call it. No reference math lives here."""
