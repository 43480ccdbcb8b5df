"""A small OpenAI-compatible HTTP server on 127.0.0.1 for end-to-end tests of the openai backend.

Replies are scripted: each POST /v1/chat/completions takes the next item of the script — a
(status, json body) pair, a string to return as the assistant's message content, a `Reply`
(status, body, headers, a delay before answering, a trickle of blank lines, a finish reason),
or a function of the request body returning any of these (a responder that answers any number
of requests). Every request body is recorded.

It also speaks the Batch API (/v1/files, /v1/batches): an uploaded JSONL is answered, line by
line, by the same script, when the batch is polled `batch_polls_before_done` times.
The server stops when the test ends; it never talks to anything else.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def section_of(user: str) -> str:
    """The report text of a request's user message (between <report> and </report>)."""
    m = re.search(r"<report>\n(.*)\n</report>", user, re.S)
    return m.group(1) if m else user


def tool_completion(name: str, arguments: str) -> dict:
    """A chat completion whose answer is one tool call (tools mode)."""
    body = completion("")
    body["choices"][0]["message"] = {"role": "assistant", "content": None, "tool_calls": [
        {"id": "call_1", "type": "function", "function": {"name": name, "arguments": arguments}}]}
    body["choices"][0]["finish_reason"] = "tool_calls"
    return body


def completion(content: str, prompt_tokens: int = 100, completion_tokens: int = 50, finish_reason: str = "stop",
               cached_tokens: int = 0) -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "test-model",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens,
                  "prompt_tokens_details": {"cached_tokens": cached_tokens}},
    }


@dataclass
class Reply:
    content: str | None = None  # the assistant's message (200)
    status: int = 200
    body: dict | None = None  # a whole JSON body instead of content
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the headers
    trickle: float = 0.0  # seconds of one blank line per 0.2 s before the body
    finish_reason: str = "stop"
    cached_tokens: int = 0
    endless: bool = False  # chunked transfer that never ends (64 KB chunks, as fast as they are read)
    pad_bytes: int = 0  # white space before the JSON body: a body this many bytes larger
    echo_auth: bool = False  # a 401 whose message repeats the Authorization header and the key without "sk-"


class ScriptedServer:
    def __init__(self, script: list, batch_polls_before_done: int = 1):
        self.script = list(script)
        self.requests: list[dict] = []
        self.headers: list[dict] = []  # the request headers, in order
        self.stopping = False
        self.ollama_num_ctx: int | None = None  # answer /api/show with this num_ctx (None: 404)
        self.paths: list[str] = []
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self.polls_before_done = batch_polls_before_done
        self.lock = threading.RLock()  # a batch poll answers its lines under it
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def _send(self, status: int, payload: dict | bytes, headers: dict | None = None, trickle: float = 0.0):
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                pad = b"\n" * int(trickle / 0.2)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data) + len(pad)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    for byte in pad:  # keep-alive blank lines, as busy providers send them
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.2)
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self):
                server.paths.append(self.path)
                if self.path.startswith("/v1/batches/"):
                    batch = server.batches[self.path.rsplit("/", 1)[1]]
                    with server.lock:
                        batch["_polls"] += 1
                        if batch["_polls"] >= server.polls_before_done and batch["status"] != "completed":
                            server._run_batch(batch)
                    self._send(200, {k: v for k, v in batch.items() if not k.startswith("_")})
                elif self.path.startswith("/v1/files/") and self.path.endswith("/content"):
                    self._send(200, server.files[self.path.split("/")[3]])
                else:
                    self._send(404, {"error": {"message": "not found"}})

            def do_POST(self):
                server.paths.append(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path.endswith("/files"):
                    file_id = server._store_file(raw, self.headers.get("Content-Type", ""))
                    self._send(200, {"id": file_id, "object": "file", "bytes": len(raw), "created_at": 0,
                                     "filename": "batch.jsonl", "purpose": "batch", "status": "processed"})
                    return
                if self.path.endswith("/api/show"):  # Ollama's native API: the model's parameters
                    if server.ollama_num_ctx is None:
                        self._send(404, {"error": "not found"})
                    else:
                        self._send(200, {"parameters": f"temperature 0.7\nnum_ctx {server.ollama_num_ctx}",
                                         "model_info": {"qwen2.context_length": 32768}})
                    return
                if self.path.endswith("/batches"):
                    body = json.loads(raw)
                    batch_id = "batch_" + uuid.uuid4().hex[:8]
                    server.batches[batch_id] = {"id": batch_id, "object": "batch", "endpoint": body["endpoint"],
                                                "input_file_id": body["input_file_id"], "completion_window": "24h",
                                                "status": "in_progress", "created_at": 0, "output_file_id": None,
                                                "error_file_id": None, "_polls": 0}
                    self._send(200, {k: v for k, v in server.batches[batch_id].items() if not k.startswith("_")})
                    return
                body = json.loads(raw or b"{}")
                server.requests.append(body)
                server.headers.append(dict(self.headers))
                reply = server._next(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.echo_auth:
                    auth = self.headers.get("Authorization", "")
                    bare = auth.split()[-1].split("-", 1)[-1] if auth else ""
                    reply.status = 401
                    reply.body = {"error": {"message": f"bad credentials: header {auth!r}; key {bare}"}}
                if reply.endless:
                    self._endless()
                    return
                if reply.pad_bytes:
                    self._padded(reply.status, reply.body, reply.pad_bytes)
                    return
                self._send(reply.status, reply.body, reply.headers, reply.trickle)

            def _endless(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b" " * 65536
                frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
                try:
                    while not server.stopping:
                        self.wfile.write(frame)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    pass

            def _padded(self, status: int, payload: dict, pad: int):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(pad + len(data)))
                self.end_headers()
                try:
                    block = b" " * 65536
                    for _ in range(pad // len(block)):
                        self.wfile.write(block)
                    self.wfile.write(b" " * (pad % len(block)) + data)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _next(self, body: dict) -> Reply:
        with self.lock:
            responder = self.script[0] if self.script and callable(self.script[0]) else None
            if responder is None:
                item = self.script.pop(0) if self.script else (500, {"error": {"message": "script exhausted"}})
        if responder is not None:
            item = responder(body)  # outside the lock: slow responders answer concurrently
        if isinstance(item, str):
            item = Reply(item)
        if isinstance(item, tuple):
            item = Reply(status=item[0], body=item[1])
        if item.body is None:
            item.body = completion(item.content or "", finish_reason=item.finish_reason,
                                   cached_tokens=item.cached_tokens)
        return item

    def _store_file(self, raw: bytes, content_type: str) -> str:
        # multipart/form-data: the JSONL is the part named "file"
        boundary = content_type.split("boundary=")[-1].encode()
        content = raw
        for part in raw.split(b"--" + boundary):
            if b'name="file"' in part:
                content = part.split(b"\r\n\r\n", 1)[1].rsplit(b"\r\n", 1)[0]
        file_id = "file_" + uuid.uuid4().hex[:8]
        self.files[file_id] = content
        return file_id

    def _run_batch(self, batch: dict) -> None:
        lines = []
        for line in self.files[batch["input_file_id"]].decode().splitlines():
            request = json.loads(line)
            self.requests.append(request["body"])
            reply = self._next(request["body"])
            lines.append(json.dumps({"id": "r-" + request["custom_id"], "custom_id": request["custom_id"],
                                     "response": {"status_code": reply.status, "body": reply.body}, "error": None}))
        output = "file_" + uuid.uuid4().hex[:8]
        self.files[output] = ("\n".join(lines) + "\n").encode()
        batch.update(status="completed", output_file_id=output)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping = True
        self.httpd.shutdown()
        self.httpd.server_close()
