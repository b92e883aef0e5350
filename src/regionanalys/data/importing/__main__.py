"""``python -m regionanalys.data.importing export.xlsx --mapping mapping.toml``."""
from regionanalys.data.importing.command import main

raise SystemExit(main())
