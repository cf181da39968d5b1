"""The home page by role: what each role a person holds should look at today."""
