-- The floor of the Lua edition's cost (tests/bench/lua-floor): this dissector replaces sipvi.lua's
-- own and makes the calls into Wireshark that sipvi's subtree needs for a response, its cause
-- subtrees and the Info column, with constant texts and no other code. What it costs is what any
-- Lua script building that subtree through Wireshark's Lua API costs.
local FLOOR_LINE = string.rep("Kiểm tra ", 11)
local FLOOR_LABEL = PROTO_DESC .. ": 486 Máy bận"
function sipvi.dissector(tvb, pinfo, tree)
    local c = f_status_code()
    local r = f_method()
    if not c then
        return
    end
    local q = f_q850()
    local s = f_sip_cause()
    local w = f_warning()
    local cs = f_cseq_method()
    local code = c()
    local range = c.range
    local visible = tree.visible
    local st = ti_add(tree, sipvi, range, FLOOR_LABEL)
    ti_add(st, F.code, range, code)
    ti_set_generated(ti_add(st, F.class, range, 4))
    ti_set_generated(ti_add(st, F.meaning, range, "Máy bận"))
    local d = ti_set_generated(ti_add(st, F.detail, range, "Máy bận, chi tiết", "Chi tiết"))
    ti_add(d, range, FLOOR_LINE)
    ti_add(d, range, FLOOR_LINE)
    ti_add(d, range, FLOOR_LINE)
    ti_set_generated(ti_add(st, F.severity, range, 3))
    ti_set_generated(ti_add(st, F.known, range, true))
    ti_set_generated(ti_add(st, F.reason, range, "Busy Here"))
    ti_set_generated(ti_add(st, F.reference, range, "RFC 3261"))
    ti_expert(st, E.response[4][3], "486 Máy bận")
    ti_set_generated(ti_add(st, F.method, range, "INVITE"))
    ti_set_generated(ti_add(st, F.final, range, true))
    if q then
        local qr = q.range
        local ct = ti_add(st, qr, "Reason Q.850: 16 Kết thúc bình thường")
        local item = ti_set_generated(ti_add(ct, F.q850_cause, qr, 16))
        ti_set_generated(ti_add(ct, F.q850_meaning, qr, "Kết thúc bình thường"))
        local dd = ti_set_generated(ti_add(ct, F.q850_detail, qr, "chi tiết", "Chi tiết"))
        ti_add(dd, qr, FLOOR_LINE)
        ti_add(dd, qr, FLOOR_LINE)
        ti_expert(item, E.q850, "Q.850 16: Kết thúc bình thường")
    end
    if s then
        local sr = s.range
        local ct = ti_add(st, sr, "Reason SIP: 486 Máy bận")
        local item = ti_set_generated(ti_add(ct, F.sip_cause, sr, 486))
        ti_set_generated(ti_add(ct, F.sip_cause_meaning, sr, "Máy bận"))
        ti_expert(item, E.sip_cause, "Reason SIP 486: Máy bận")
    end
    if w then
        local wr = w.range
        local ct = ti_add(st, wr, "Warning 399: Cảnh báo khác")
        local item = ti_set_generated(ti_add(ct, F.warning_code, wr, 399))
        ti_set_generated(ti_add(ct, F.warning_meaning, wr, "Cảnh báo khác"))
        ti_set_generated(ti_add(ct, F.warning_text, wr, "bench.sipvi.test \"bench warning\""))
        ti_expert(item, E.warning, "Warning 399: Cảnh báo khác")
    end
    -- FLOOR_INFO_BEGIN
    local column = pinfo.cols.info
    local current = tostring(column)
    col_append(column, "Máy bận")
    -- FLOOR_INFO_END
end

