"""``python -m zeromile`` runs the CLI."""

from zeromile.cli.app import main

main()
