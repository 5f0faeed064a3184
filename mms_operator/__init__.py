"""mms-operator: the operator's side of the mms-desktop protocol.

A regional operator runs it to receive applications and reports from the
organisations it funds, verify their control sums, and tell them what happened
to each one. Install and start::

    pip install "mms-desktop[operator]"
    mms-operator --data-dir /srv/mms-operator publish-call nabor-2027.json
    mms-operator --data-dir /srv/mms-operator add-organization "KGW w Łękawce" --nip 7821700239
        # prints the organisation's token once; hand it over safely
    mms-operator --data-dir /srv/mms-operator serve --host 0.0.0.0 --port 8765

One token per organisation: with ``--nip`` the server takes only documents
carrying that NIP; without it, the first accepted document binds the token to
its organisation. Applications to a call published here are taken only within
the call's window. ``serve`` runs waitress (pure Python, Windows too) and prints
the URL; Ctrl+C stops it. Each organisation has quotas (``serve --quota-mb``,
``--quota-submissions``, ``--quota-pending-blobs``); blobs no document lists
are removed after 30 days (at start, or ``cleanup-blobs``). Put it behind a
TLS-terminating reverse proxy (nginx, Caddy, IIS) before exposing it: tokens
travel in the ``Authorization`` header, and the proxy is also what stops a
client holding thousands of slow connections open. Staff then work from the
same data folder, also while the server runs::

    mms-operator --data-dir DIR submissions [--json]
    mms-operator --data-dir DIR show SUBMISSION_ID [--pdf wydruk.pdf]
    mms-operator --data-dir DIR set-status SUBMISSION_ID needs_corrections --comment "…"
    mms-operator --data-dir DIR cleanup-blobs [--days 30]

``--data-dir`` defaults to ``$MMS_OPERATOR_DATA_DIR``, then
``./mms-operator-data``. The folder (created readable by its owner only) holds
``mms-operator.sqlite3`` (with its ``-wal`` file while the server runs) and
``blobs/``; back up all of them together. The protocol is described in
``resources/openapi/mms-operator-v1.json``.
"""
