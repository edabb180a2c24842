"""Looking at motion: headless videos and contact sheets (`render`), and a browser viewer (`server`)."""
