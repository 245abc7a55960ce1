from reglab.cli import main

raise SystemExit(main())
