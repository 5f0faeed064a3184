"""mms-operator: the operator's side of the mms-desktop protocol.

A regional operator runs it to receive applications and reports from the
organisations it funds, verify their control sums, and tell them what happened
to each one. Install and start::

    pip install "mms-desktop[operator]"
    mms-operator --data-dir /srv/mms-operator publish-call nabor-2027.json
    mms-operator --data-dir /srv/mms-operator add-organization "KGW w Łękawce"
        # prints the organisation's token once; hand it over safely
    mms-operator --data-dir /srv/mms-operator serve --host 0.0.0.0 --port 8765

``serve`` runs waitress (pure Python, Windows too) and prints the URL; Ctrl+C
stops it. Put it behind a TLS-terminating reverse proxy (nginx, Caddy, IIS)
before exposing it: tokens travel in the ``Authorization`` header. Staff then
work from the same data folder, also while the server runs::

    mms-operator --data-dir DIR submissions [--json]
    mms-operator --data-dir DIR show SUBMISSION_ID [--pdf wydruk.pdf]
    mms-operator --data-dir DIR set-status SUBMISSION_ID needs_corrections --comment "…"

``--data-dir`` defaults to ``$MMS_OPERATOR_DATA_DIR``, then
``./mms-operator-data``. The folder holds ``mms-operator.sqlite3`` and
``blobs/``; back up both together. The protocol is described in
``resources/openapi/mms-operator-v1.json``.
"""
