"""`python -m xinfang_desktop` runs the same command as `xinfang`."""

from xinfang_desktop import main

raise SystemExit(main())
