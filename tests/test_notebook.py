"""notebooks/walkthrough.ipynb: committed without outputs, and runs top to bottom."""
from pathlib import Path

import nbclient
import nbformat

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "walkthrough.ipynb"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_notebook_runs_top_to_bottom():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    text = "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/html", ""))
                     for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "'Project': 447" in text
    assert "晋财教〔2023〕81号" in text  # among the most cited
    assert "{'documents': 3, 'projects': 2, 'departments': 1, 'citations': 8" in text
    assert '<iframe srcdoc="&lt;!DOCTYPE html&gt;' in text  # the picture, self-contained
    assert "财税2017-20.xlsx" in text and "中央" in text
