"""Datasette page /-/van-ban/<document id>: the document's text with what plantrace found
in it highlighted (displaCy), for auditors checking a claim against its source."""

import sqlite3

from datasette import hookimpl
from datasette.utils.asgi import Response


async def van_ban(datasette, request):
    doc_id = request.url_vars["doc_id"]
    db = datasette.get_database()  # the one database served, whatever its file is called

    def build(conn: sqlite3.Connection):
        from pipeline.publish.show import document_html

        return document_html(conn, doc_id)

    html = await db.execute_fn(build)
    if html is None:
        return Response.html("<p>Không có văn bản này.</p>", status=404)
    return Response.html(html)


@hookimpl
def register_routes():
    return [(r"^/-/van-ban/(?P<doc_id>[^/]+)$", van_ban)]
