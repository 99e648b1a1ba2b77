"""Transparency log of screening decisions in C2SP tlog-tiles format.

Modules, one concept each: :mod:`~zeromile.tlog.merkle` (RFC 6962 hashing and
proofs), :mod:`~zeromile.tlog.tiles` (tile paths and encodings),
:mod:`~zeromile.tlog.note` and :mod:`~zeromile.tlog.checkpoint` (signed notes),
:mod:`~zeromile.tlog.storage` (durable appends), :mod:`~zeromile.tlog.reader`,
:mod:`~zeromile.tlog.records` (public records and commitments),
:mod:`~zeromile.tlog.private` (operator-only state), :mod:`~zeromile.tlog.publish`
(the API the screening calls), :mod:`~zeromile.tlog.proofs` (proof bundles, offline
verification, consistency), :mod:`~zeromile.tlog.audit` and :mod:`~zeromile.tlog.stats`.
Nothing is imported here so that ``import zeromile.tlog`` stays cheap.
"""
