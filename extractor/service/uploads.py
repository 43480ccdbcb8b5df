"""Reports added from the browser: checked (count, size, type by content, zip members), saved
below the run's input folder in `uploads/<job>/`, and processed in the background by the same
`run_folder` as `extractor run` (its worker pool; only the new files are parsed), with progress.

Refused with a clear message, nothing saved: more files than the limit, a file over the size
limit, a type that is not a report by its content, a name with a path (`../`, `/`, `\\`), a zip
whose members would unpack beyond the limit or at a ratio only a zip bomb has.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from fastapi import HTTPException, UploadFile

from extractor.service.data import RunData

__all__ = ["UploadJob", "Uploads", "sniff"]

_CHUNK = 1 << 16
_MAX_RATIO = 200  # uncompressed / compressed for one zip member: text compresses ~10×, bombs ~1000×


def sniff(head: bytes) -> str | None:
    """The report type of a file by its first bytes: pdf, docx, zip (an archive of reports),
    html, text; None for anything else (images, executables, binary data)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"  # told apart from docx by its members
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text (its NUL bytes are not binary)
        text = head[:4096].decode("utf-16", errors="ignore")
    elif b"\x00" in head[:4096]:
        return None  # images, executables, binary data
    else:
        text = head[:4096].decode("utf-8", errors="ignore") or head[:4096].decode("gb18030", errors="ignore")
    low = text.lower()
    return "html" if any(tag in low for tag in ("<html", "<body", "<table", "<!doctype")) else "text"


_SUFFIX = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}


def _safe_name(name: str) -> str:
    """The name as given, when it is a plain file name; else refused."""
    if not name or "/" in name or "\\" in name or name in (".", "..") or name.startswith(".") or "\x00" in name \
            or ".." in PurePosixPath(name).parts:
        raise HTTPException(400, f"文件名不安全（含路径或 ../），已拒绝：{name!r}")
    return name[:120]


@dataclass
class UploadJob:
    id: str
    by: str
    files: list[str]
    state: str = "queued"  # queued | running | done | failed
    done: int = 0
    total: int = 0
    errors: dict[str, str] = field(default_factory=dict)  # file -> its one-line error
    message: str = ""
    started: float = field(default_factory=time.time)

    @property
    def state_label(self) -> str:
        return {"queued": "排队中", "running": "处理中", "done": "已完成", "failed": "失败"}[self.state]

    def to_json(self) -> dict:
        return {"id": self.id, "by": self.by, "files": self.files, "state": self.state, "state_label": self.state_label,
                "done": self.done, "total": self.total, "errors": self.errors, "message": self.message}

    @classmethod
    def from_row(cls, row) -> UploadJob:
        return cls(row["id"], row["by"], json.loads(row["files"]), row["state"], row["done"], row["total"],
                   json.loads(row["errors"]), row["message"], row["started"])


def _alive(job_id: str) -> bool:
    """Whether the process that started a job (its id's second-last part) still runs."""
    try:
        pid = int(job_id.split("-")[-2])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


class Uploads:
    def __init__(self, data: RunData, config):
        self.data, self.config = data, config
        self._run_lock = threading.Lock()  # one background run at a time
        self._ids = itertools.count(1)

    def close_orphans(self) -> None:
        """Jobs left running by a server process that is gone (killed, restarted) are marked failed;
        a rerun of `run` (or 更新汇总文件) finishes what they started."""
        for job in self.jobs():
            if job.state in ("queued", "running") and not _alive(job.id):
                job.state, job.message = "failed", "服务在处理中途停止；重新上传或点“更新汇总文件”即可继续"
                self._save(job)

    def jobs(self) -> list[UploadJob]:
        """The latest jobs of every worker process (reviews.db `jobs`), newest first."""
        rows = self.data.store().conn.execute("select * from jobs order by started desc limit 50")
        return [UploadJob.from_row(r) for r in rows]

    def _save(self, job: UploadJob) -> None:
        conn = self.data.store().conn
        conn.execute("insert into jobs (id, by, files, state, done, total, errors, message, started) values "
                     "(?,?,?,?,?,?,?,?,?) on conflict(id) do update set state=excluded.state, done=excluded.done, "
                     "total=excluded.total, errors=excluded.errors, message=excluded.message",
                     (job.id, job.by, json.dumps(job.files, ensure_ascii=False), job.state, job.done, job.total,
                      json.dumps(job.errors, ensure_ascii=False), job.message, job.started))

    def latest(self) -> UploadJob | None:
        jobs = self.jobs()
        return jobs[0] if jobs else None

    async def _read(self, upload: UploadFile) -> bytes:
        limit = self.config.max_upload_bytes
        parts, size = [], 0
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise HTTPException(413, f"文件过大：{upload.filename}（超过 {limit // (1024 * 1024)} MB 的上限）")
            parts.append(chunk)
        return b"".join(parts)

    def _unzip(self, name: str, blob: bytes) -> list[tuple[str, bytes, str]]:
        try:
            z = zipfile.ZipFile(io.BytesIO(blob))
        except zipfile.BadZipFile:
            raise HTTPException(400, f"zip 文件已损坏：{name}") from None
        members = [m for m in z.infolist() if not m.is_dir()]
        if len(members) > self.config.max_upload_files:
            raise HTTPException(413, f"zip 内文件过多：{name}（{len(members)} 个，上限 {self.config.max_upload_files}）")
        total = 0
        out = []
        for m in members:
            parts = PurePosixPath(m.filename.replace("\\", "/")).parts
            if m.filename.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                raise HTTPException(400, f"zip 内的文件名不安全（含 ../ 或绝对路径），已拒绝：{m.filename!r}")
            total += m.file_size
            if total > self.config.max_unzipped_bytes or m.file_size > self.config.max_upload_bytes or \
                    (m.file_size > (1 << 20) and m.file_size > _MAX_RATIO * max(m.compress_size, 1)):
                raise HTTPException(413, f"zip 解压后过大或压缩比异常（疑似 zip 炸弹），已拒绝：{name}")
            with z.open(m) as f:  # the header may lie: read at most the limit
                content = f.read(self.config.max_upload_bytes + 1)
            if len(content) > self.config.max_upload_bytes or len(content) != m.file_size:
                raise HTTPException(413, f"zip 内文件大小与记录不符（疑似 zip 炸弹），已拒绝：{m.filename!r}")
            base = _safe_name(parts[-1]) if parts else _safe_name(m.filename)
            kind = self._kind(base, content)
            out.append((base, content, kind))
        return out

    def _kind(self, name: str, blob: bytes) -> str:
        kind = sniff(blob[:8192])
        if kind == "zip":
            try:
                names = zipfile.ZipFile(io.BytesIO(blob)).namelist()
            except zipfile.BadZipFile:
                names = []
            kind = "docx" if "word/document.xml" in names else "zip"
        if kind is None:
            raise HTTPException(415, f"不是报告文件（按内容判断，只收 PDF、DOCX、HTML、文本或 zip）：{name}")
        return kind

    async def accept(self, files: list[UploadFile], by: str) -> UploadJob:
        root = self.data.source_root
        if root is None:
            raise HTTPException(409, "输出目录没有记录报告文件夹，无法加入新报告：请先用 extractor run 处理，或 serve --source 指定")
        if not files:
            raise HTTPException(400, "没有选择文件")
        if len(files) > self.config.max_upload_files:
            raise HTTPException(413, f"文件过多：{len(files)} 个（上限 {self.config.max_upload_files}）")
        accepted: list[tuple[str, bytes, str]] = []
        for upload in files:
            name = _safe_name(upload.filename or "")
            blob = await self._read(upload)
            kind = self._kind(name, blob)
            if kind == "zip":
                accepted += [m for m in self._unzip(name, blob) if m[2] != "zip"]
            else:
                accepted.append((name, blob, kind))
            if len(accepted) > self.config.max_upload_files:
                raise HTTPException(413, f"文件过多（上限 {self.config.max_upload_files}）")
        if not accepted:
            raise HTTPException(400, "没有可处理的报告文件")
        job_id = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{next(self._ids)}"
        folder = root / "uploads" / job_id
        folder.mkdir(parents=True, exist_ok=False)
        names = []
        for name, blob, kind in accepted:
            stem = Path(name).stem or "report"
            target = folder / f"{stem}{_SUFFIX[kind]}"
            n = 1
            while target.exists():
                n += 1
                target = folder / f"{stem}-{n}{_SUFFIX[kind]}"
            target.write_bytes(blob)
            names.append(target.relative_to(root).as_posix())
        job = UploadJob(job_id, by, names)
        self._save(job)
        self.data.store().log(by, "upload", job_id, {"files": names})
        threading.Thread(target=self._process, args=(job,), daemon=True, name=f"upload-{job_id}").start()
        return job

    def rebuild(self, by: str) -> UploadJob:
        """Write the run's outputs again (workbook, results.db, fields.csv, page) with the corrections
        made since: `run` over the same folder, which parses nothing that is unchanged."""
        if self.data.source_root is None:
            raise HTTPException(409, "输出目录没有记录报告文件夹：请在命令行重新运行 extractor run")
        job = UploadJob(time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{next(self._ids)}", by, [])
        self._save(job)
        self.data.store().log(by, "rebuild", job.id)
        threading.Thread(target=self._process, args=(job,), daemon=True, name=f"rebuild-{job.id}").start()
        return job

    def _process(self, job: UploadJob) -> None:
        saved = [0.0]

        def progress(done: int, total: int, errors: int) -> None:
            job.done, job.total = done, total
            if done == total or time.monotonic() - saved[0] > 0.5:  # progress for the page, not a write per file
                saved[0] = time.monotonic()
                self._save(job)

        with self._run_lock:
            job.state = "running"
            self._save(job)
            try:
                self._run(job, progress)
            except Exception as exc:  # a bug must show on the page, not end the thread silently
                job.state, job.message = "failed", f"内部错误：{exc}"
            finally:
                self._save(job)

    def _run(self, job: UploadJob, progress) -> None:
        """`run` over the input folder (only new or changed files are parsed), then each uploaded
        file's one-line error, if it has one."""
        from extractor.batch import OutputError, run_folder
        from extractor.llm.settings import LLMSettings

        root = self.data.source_root
        if root is None:  # rebuild refuses such a folder before its job starts
            job.state, job.message = "failed", "输出目录没有记录报告文件夹：请在命令行重新运行 extractor run"
            return
        try:
            run_folder(root, self.data.out_dir, LLMSettings(backend="offline"), progress=progress)
        except (OutputError, OSError) as exc:  # another run holds the folder, a full disk
            job.state, job.message = "failed", str(exc)
            return
        wanted = set(job.files)
        for rid, (source, _offset, _sha) in self.data.ids().items():
            if source in wanted:
                record = self.data.raw_record(rid)
                if record and not record["parse"].get("ok"):
                    job.errors[source] = record["parse"].get("error") or "无法读取"
        job.state = "done"
