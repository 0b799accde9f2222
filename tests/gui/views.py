"""How the GUI tests open and read Wireshark's views: the About dialog's plugin list, the packet
list, the packet details, the status bar's expert indicator, the Expert Information dialog, a
statistics tree and the preferences. Menus are opened by their Alt+letter and items clicked where
they are read, so nothing depends on an item's position in a menu of one Wireshark version."""

import os
import re
import subprocess
import time

import guiharness
from guiharness import plain, squash

def screen_lines(gui, label, predicate, what, lang="vie", scale=3, selected=False):
    """OCR of the whole screen until predicate(lines) holds. Page mode 6 (one block) keeps a
    packet-list row on one line, number, protocol and Info together."""
    lines, image = gui.read_until(label, None, predicate, what, lang=lang, scale=scale, psm=6,
                                  selected=selected)
    return lines, image


def find(lines, text):
    """The first line that holds text, compared without diacritics, spaces or case, and allowing
    OCR one misread letter in ten (SIP read as STP): this finds a line, the assertions then read
    it again for the exact text."""
    target = squash(text)
    for l in lines:
        if holds(squash(l.text), target):
            return l
    return None


def holds(haystack, target):
    """target appears in haystack with at most one edit (letter misread, added or dropped) in
    ten: the edit distance of target to the best-matching part of haystack."""
    if target in haystack:
        return True
    allowed = len(target) // 10
    if allowed == 0:
        return False
    previous = [0] * (len(haystack) + 1)  # a match may start anywhere in haystack
    for i, t in enumerate(target, 1):
        current = [i] + [0] * len(haystack)
        for j, h in enumerate(haystack, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (t != h))
        previous = current
    return min(previous) <= allowed


# --- Help → About Wireshark → Plugins ----------------------------------------------------------

def about_plugins_row(gui):
    """Opens About Wireshark from the Help menu, shows the tab that lists sipvi.so (Ctrl+Tab from
    tab to tab, whatever their order) and returns the OCR line of sipvi's row; closes the dialog."""
    gui.open_menu("h", "About Wireshark")
    about = gui.wait_window("About Wireshark")
    gui.focus(about)
    geo = gui.geometry(about)
    row = None
    for _ in range(10):
        lines = gui.ocr(gui.screenshot("about", about), None, scale=3, lang="eng")
        name = os.path.basename(gui.ts.loaded_plugin or gui.ts.loaded_lua)
        row = next((l for l in lines if name in l.text.replace(" ", "")), None)
        if row:
            row = table_row(lines, row)
            break
        gui.key("ctrl+Tab")
    image = gui.screenshot("about-plugins")
    gui.key("Escape")
    gui.wait_gone(about, "the About dialog")
    if row is None:
        raise AssertionError("About Wireshark: no tab lists sipvi.so")
    x, y = geo[0], geo[1]
    row.box = (row.box[0] + x, row.box[1] + y, row.box[2], row.box[3])
    return row, image


def table_row(lines, anchor):
    """The whole table row of an OCR line: tesseract may read a row's cells as separate lines
    (4.4 and 4.6 list sipvi's types as "dissector, tap listener", a wider Type column, and the
    Path then becomes a block of its own). Joins, left to right, every line whose vertical middle
    lies within the anchor line's height."""
    top, bottom = anchor.box[1], anchor.box[1] + anchor.box[3]
    same = sorted((l for l in lines if top <= l.center[1] <= bottom), key=lambda l: l.box[0])
    if anchor not in same:
        same.append(anchor)
    left = min(l.box[0] for l in same)
    right = max(l.box[0] + l.box[2] for l in same)
    return guiharness.Line(" ".join(l.text for l in same), (left, top, right - left, bottom - top),
                           [w for l in same for w in l.words])


def word_beside(lines, anchor, word):
    """Where a word stands on the same row as the anchor line, right of its start (a button
    beside its label): tesseract may read label and button as one line or as two blocks,
    depending on the gap between them. Searches the words of every line whose vertical middle
    lies within the anchor's height; None when no such word is there."""
    top, bottom = anchor.box[1], anchor.box[1] + anchor.box[3]
    for line in sorted(lines, key=lambda l: l.box[0]):
        for text, (x, y, w, h) in line.words:
            if top <= y + h // 2 <= bottom and x > anchor.box[0] \
                    and re.fullmatch(r"\W*" + re.escape(word) + r"\W*", text, re.I):
                return x + w // 2, y + h // 2
    return None


# --- packet list and details --------------------------------------------------------------------

def go_to_packet(gui, number):
    """Go → Go to Packet (Ctrl+G), as a user selects a frame by number. The number is typed only
    once the bar shows (on a loaded machine it came late and "1" went into the display filter),
    and the function returns only once the bar has closed again: the bar pushes the panes down,
    and a click placed while it was closing landed one row too low."""
    def bar(lines):
        return find(lines, "Go to packet") is not None
    # Ctrl+G first, as a user does; when the bar does not come (after the Preferences dialog
    # closed, under load, the shortcut was lost while the display filter held the focus), the
    # Go menu's item, which works wherever the focus is.
    gui.focus(gui.main)
    gui.key("ctrl+g")
    try:
        gui.read_until("goto", None, bar, "the Go to packet bar", lang="eng", scale=2,
                       timeout=15, shot=False)
    except AssertionError:
        gui.open_menu("g", "Go to Packet")
        gui.read_until("goto", None, bar, "the Go to packet bar", lang="eng", scale=2)
    gui.type(str(number))
    gui.key("Return")
    gui.read_until("goto-closed", None, lambda ls: not bar(ls), "the Go to packet bar to close",
                   lang="eng", scale=2)


def packet_row(gui, number, text, label="packets"):
    """Waits until the packet list shows a row `number … text` (without diacritics); returns
    (line, image) for an exact reading."""
    def has_row(lines):
        return row_of(lines, number, text) is not None
    lines, image = screen_lines(gui, label, has_row, f"packet list row {number}: {text}")
    return row_of(lines, number, text), image


def row_of(lines, number, text):
    target = squash(text)
    for l in lines:
        s = squash(l.text)
        if target in s and re.match(rf"^{number}\D", s):
            return l
    return None


def expand_details_subtree(gui, title):
    """Clicks the packet details line that starts with title and expands it one level (Right)."""
    lines, _ = screen_lines(gui, "details", lambda ls: find(ls, title) is not None,
                            f"the packet details line '{title}'")
    line = find(lines, title)
    gui.click(line.box[0] + 40, line.center[1])
    gui.key("Right")
    return line


# --- status bar ----------------------------------------------------------------------------------

def pixels(gui, image, box):
    """RGB triples of a region of a screenshot (ImageMagick → PPM)."""
    x, y, w, h = box
    data = subprocess.run([guiharness.CONVERT, image, "-crop", f"{w}x{h}+{x}+{y}", "+repage", "-depth", "8",
                           "ppm:-"], capture_output=True, check=True).stdout
    width, height, body = guiharness.netpbm(data)
    return width, height, [tuple(body[i:i + 3]) for i in range(0, width * height * 3, 3)]


def _saturation(rgb):
    hi, lo = max(rgb), min(rgb)
    return 0 if hi == 0 else (hi - lo) / hi


def expert_indicator(gui, doc=None):
    """The status bar's expert button (the first icon at its left end): its tooltip, read by
    hovering as a user does, and the colour of its icon. doc: the name of a picture for the
    guide, the status bar's left end with the tooltip shown, taken while it is read."""
    gui.focus(gui.main)
    mx, my, mw, mh = gui.geometry(gui.main)
    image = gui.screenshot("statusbar")
    # The bottom rows of the window: the status bar, below the bytes pane's last line.
    strip = (mx, my + mh - 22, 60, 22)
    width, height, px = pixels(gui, image, strip)
    ink = [x for x in range(2, width) if any(
        _saturation(px[y * width + x]) > 0.25 or sum(px[y * width + x]) < 3 * 130
        for y in range(height))]
    if not ink:
        raise AssertionError("no expert indicator at the left end of the status bar")
    first = [ink[0]]
    for x in ink[1:]:
        if x != first[-1] + 1:
            break
        first.append(x)
    rows = [y for y in range(height) if any(
        _saturation(px[y * width + x]) > 0.25 or sum(px[y * width + x]) < 3 * 130 for x in first)]
    icon = (strip[0] + first[0], strip[1] + rows[0], len(first), rows[-1] - rows[0] + 1)
    colour = icon_colour([px[(y - strip[1]) * width + (x - strip[0])]
                          for y in range(icon[1], icon[1] + icon[3])
                          for x in range(icon[0], icon[0] + icon[2])])
    cx, cy = icon[0] + icon[2] // 2, icon[1] + icon[3] // 2
    # Qt shows a tooltip after the pointer rests on the button, having moved over it. When
    # none came (Qt 6 may drop a pointer event, see Gui._wake_pointer), the pointer leaves and
    # comes back, as a user's does.
    # The pointer comes back after 8 s, then 16 s...: on a loaded machine Qt showed no tooltip
    # within 8 s, and coming back every 8 s restarted its wait each time (gui.lua.call).
    rested = {"since": None, "patience": 4}

    def hover_icon():
        gui.hover(cx + 40, cy - 200)
        gui.hover(cx - 1, cy)
        gui.hover(cx, cy)
        rested["since"] = time.monotonic()
        rested["patience"] *= 2

    def joined(lines):
        return " ".join(l.text for l in lines)

    def tooltip(lines):
        # Read as one text: tesseract may split the tooltip's line in two blocks.
        if holds(squash(joined(lines)), squash("expert information level")):
            return True
        if time.monotonic() - rested["since"] > rested["patience"]:
            hover_icon()
        return False
    hover_icon()
    # Qt puts a tooltip below the pointer when it fits on the screen, else above it: above on
    # 4.0 (the window fills the screen), below on 4.4 and 4.6 (their window opens shorter, not
    # at the size in recent_common). Both sides are read.
    top = max(0, cy - 120)
    box = (0, top, 700, min(guiharness.SCREEN[1], cy + 120) - top)
    lines, _ = gui.read_until("tooltip", box, tooltip, "the expert indicator's tooltip",
                              lang="eng", scale=3)
    if doc:
        save_doc_region(gui, doc, (0, top, 900, min(guiharness.SCREEN[1], my + mh) - top))
    gui.hover(800, 500)
    return joined(lines), colour, icon


def save_doc_region(gui, label, box):
    """A picture for the guide cut to a region of the screen (gui.save_doc takes a whole window)."""
    path = gui.save_doc(label)
    guiharness.run([guiharness.CONVERT, path, "-crop", f"{box[2]}x{box[3]}+{box[0]}+{box[1]}",
                    "+repage", path])
    return path


def icon_colour(px):
    """The colour name of Wireshark's expert icons: red error, yellow warning, cyan note, blue
    chat, grey none (no saturated pixel)."""
    vivid = [p for p in px if _saturation(p) > 0.35 and max(p) > 80]
    if len(vivid) < 6:
        return "grey"
    r = sum(p[0] for p in vivid) / len(vivid)
    g = sum(p[1] for p in vivid) / len(vivid)
    b = sum(p[2] for p in vivid) / len(vivid)
    if r > 150 and g > 150 and b < 120:
        return "yellow"
    if r > 150 and g < 120 and b < 120:
        return "red"
    if b > 150 and g > 150 and r < 150:
        return "cyan"
    if b > 150 and r < 150:
        return "blue"
    return f"rgb({r:.0f},{g:.0f},{b:.0f})"


# --- Expert Information ------------------------------------------------------------------------

EXPERT_ROW = re.compile(r"^[\W_]*(Error|Warning|Note|Chat)\s+(.*?)\s+Response\s+\S+\s+(\d+)$")


def open_expert_dialog(gui):
    """Analyze → Expert Information; the dialog is moved and sized to the whole screen so that
    every group row and its count are visible."""
    gui.open_menu("a", "Expert Information")
    dialog = gui.wait_window("Expert Information")
    gui.xdotool("windowmove", dialog, "0", "0")
    gui.xdotool("windowsize", dialog, "1600", "1000")
    gui.wait(lambda: gui.geometry(dialog)[2] >= 1500 or None, "the Expert dialog to resize")
    gui.focus(dialog)
    return dialog


def expert_groups(lines):
    """The group rows read off the dialog: {(severity, summary without diacritics): count}."""
    groups = {}
    for l in lines:
        m = EXPERT_ROW.match(plain(l.text).strip())
        if m:
            groups[(m.group(1), m.group(2))] = int(m.group(3))
    return groups


# --- Preferences -----------------------------------------------------------------------------------

def open_sipvi_preferences(gui):
    """Edit → Preferences…, then Protocols → sipvi in the page tree (typed, as a user finds a
    protocol among two thousand)."""
    gui.open_menu("e", "Preferences")
    prefs = gui.wait_window("Preferences")
    gui.focus(prefs)
    # The dialog opens on its first page, Appearance. 4.6 opens the page tree so narrow that
    # "Protocols" reads "Protoco": the first page's first option says the dialog is ready.
    def shown(lines):
        return find(lines, "Protocols") or find(lines, "Remember main window size")
    gui.wait(lambda: shown(gui.ocr(gui.screenshot("prefs", prefs), None, scale=2, lang="eng"))
             or None, "the Preferences dialog's first page")
    gui.type("Protocols")
    gui.key("Right")
    # A tree finds an item by what is typed within QApplication::keyboardInputInterval (400 ms)
    # of the previous key: pause longer, as a user does, so that "sipvi" is a search of its own.
    time.sleep(1.0)
    gui.type("sipvi")
    return prefs


# --- Statistics tree ---------------------------------------------------------------------------------

STATS_ROW = re.compile(r"^[\W_]*(.*?[^\d\s])\s+(\d+)(?:\s|$)")


def stats_rows(lines):
    """The rows of a statistics tree dialog read off the screen: [(name, count)], the count being
    the first number after the name (the Count column)."""
    rows = []
    for l in lines:
        m = STATS_ROW.match(l.text.strip())
        if m and not m.group(1).lower().startswith("topic"):
            rows.append((m.group(1), int(m.group(2))))
    return rows


# --- Diagnosis tables (Telephony menu) -------------------------------------------------------------

def open_diagnosis_table(gui, menu_item):
    """Telephony → a sipvi diagnosis table; the dialog is moved and sized to the whole screen."""
    gui.open_menu("y", menu_item)
    dialog = gui.wait_window(r"\(sipvi\)", f"the table {menu_item}")
    gui.xdotool("windowmove", dialog, "0", "0")
    gui.xdotool("windowsize", dialog, "1600", "1000")
    gui.wait(lambda: gui.geometry(dialog)[2] >= 1500 or None, "the table dialog to resize")
    gui.focus(dialog)
    return dialog


def diagnosis_row(lines, row, columns):
    """The line of the table that shows row (a dict of tshark's cells): it starts with the first
    frame and holds the given columns' cells in order (compared as views.find does)."""
    target = squash(" ".join([row["Khung đầu"]] + [row[c] for c in columns]))
    for l in lines:
        s = squash(l.text)
        if re.match(rf"^\W*{row['Khung đầu']}\D", l.text.strip() + " ") and holds(s, target):
            return l
    return None


# The group row of the failed calls in Expert Information: severity, summary, group, protocol, count.
FAILED_ROW = re.compile(r"^[\W_]*Warning\s+(.*?)\s+Sequence\s+\S+\s+(\d+)$")
FAILED_CALL_GROUP = "Chẩn đoán cuộc gọi thất bại"


def failed_calls_row(lines):
    """(line, count) of the Expert Information group row Chẩn đoán cuộc gọi thất bại, or None."""
    for l in lines:
        m = FAILED_ROW.match(plain(l.text).strip())
        if m and holds(squash(m.group(1)), squash(FAILED_CALL_GROUP)):
            return l, int(m.group(2))
    return None
