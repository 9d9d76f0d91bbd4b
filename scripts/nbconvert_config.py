# nbconvert config used by scripts/run-notebooks.js (`jupyter nbconvert --config scripts/nbconvert_config.py`).
#
# tslab never sends an nbformat `error` output: compile errors and exceptions arrive as stderr text and the cell's
# execute_reply has status 'error'. This hook turns such a reply into a real `error` output (after the stderr text),
# so the executed notebook, its HTML report and any checker see the failure. After an error tslab aborts the
# requests that follow within 200 ms, i.e. the remaining cells (reply status 'abort'); they are marked in metadata.
#
# Execution counts: nbconvert's ExecutePreprocessor takes a cell's count only from the kernel's iopub messages
# (execute_input, execute_result). tslab sends neither (it shows values as display_data) and puts the count only in
# its execute_reply, so without the hook below every executed cell would read "In [ ]:".
import re

from nbformat.v4 import new_output

c = get_config()  # noqa: F821 (defined by traitlets when it loads this file)


def _stderr_text(cell):
    return ''.join(
        o.get('text', '') for o in cell.get('outputs', [])
        if o.get('output_type') == 'stream' and o.get('name') == 'stderr'
    )


def _on_cell_executed(cell, cell_index, execute_reply):
    content = (execute_reply or {}).get('content', {})
    status = content.get('status')
    count = content.get('execution_count')
    if isinstance(count, int) and not isinstance(count, bool):
        cell['execution_count'] = count
    if status == 'abort':
        cell.setdefault('metadata', {})['conviction_voting'] = {'status': 'aborted after an earlier error'}
        return
    if status != 'error' or any(o.get('output_type') == 'error' for o in cell.get('outputs', [])):
        return
    text = _stderr_text(cell).strip() or content.get('evalue') or 'the cell failed (no message)'
    lines = text.splitlines()
    if content.get('ename'):
        ename, evalue = content['ename'], content.get('evalue', lines[0])
    elif re.match(r'^\d+:\d+ - ', lines[0]):
        ename, evalue = 'TypeScriptError', lines[0]
    else:
        ename, evalue = 'Error', lines[0]
        for line in lines:
            match = re.match(r'^(\w*(?:Error|Exception))\b(?::\s*(.*))?$', line)
            if match:
                ename, evalue = match.group(1), match.group(2) or ''
                break
    cell.outputs.append(new_output('error', ename=ename, evalue=evalue, traceback=[f'{ename}: {evalue}']))


c.ExecutePreprocessor.on_cell_executed = _on_cell_executed
# A cell running past the timeout is interrupted and recorded as an error instead of killing the whole run.
c.ExecutePreprocessor.interrupt_on_timeout = True
c.ExecutePreprocessor.error_on_timeout = {
    'ename': 'Timeout',
    'evalue': 'the cell ran longer than the timeout (scripts/run-notebooks.js --timeout SECONDS)',
}
