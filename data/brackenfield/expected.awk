# expected.awk: the expected results of the Brackenfield sample (an INVENTED council),
# computed from its CSV files without finmon, for comparison with finmon's reports.
#
#   cd data/brackenfield && awk -f expected.awk
#   awk -v dir=data/brackenfield -f data/brackenfield/expected.awk
#
# POSIX awk (mawk, gawk). Amounts are read as floating point; every amount in these
# files is whole pounds, and the script stops if any is not, so sums of them are exact
# (doubles hold whole numbers exactly up to 2^53). Output is Markdown.

function csvsplit(s, a,    n, i, c, f, q) {
    # split one CSV record into a[1..n]; quoted fields may hold commas and "" quotes
    n = 0; f = ""; q = 0
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (q) {
            if (c == "\"") {
                if (substr(s, i + 1, 1) == "\"") { f = f "\""; i++ } else q = 0
            } else f = f c
        } else if (c == "\"") q = 1
        else if (c == ",") { a[++n] = f; f = "" }
        else f = f c
    }
    a[++n] = f
    return n
}

# read file (skipping its header) into rows[file, r, k]; returns the number of rows
function load(file, ncol,    path, line, n, k, r, a) {
    path = dir "/" file
    r = 0
    if ((getline line < path) <= 0) { print "cannot read " path > "/dev/stderr"; exit 2 }
    while ((getline line < path) > 0) {
        sub(/\r$/, "", line)
        n = csvsplit(line, a)
        if (n != ncol) { print file ": row " (r + 1) " has " n " fields, not " ncol > "/dev/stderr"; exit 2 }
        r++
        for (k = 1; k <= n; k++) rows[file, r, k] = a[k]
    }
    close(path)
    nrows[file] = r
    return r
}

function whole(x, what) {
    # an amount must be whole pounds here (so every sum is exact)
    if (x != "" && x + 0 != int(x + 0)) { print what ": " x " is not whole pounds" > "/dev/stderr"; exit 2 }
    return x + 0
}

function pounds(x) { return sprintf("%.2f", x) }

# x pounds in £m to 3 places, rounded half away from zero; brackets for negatives
function m3(x,    t, s) {
    t = int((x < 0 ? -x : x) / 1000 + 0.5)
    s = sprintf("%d.%03d", int(t / 1000), t % 1000)
    return (x < 0 && t > 0) ? "(" s ")" : s
}

# the same as a signed decimal, as published.csv writes it
function m3signed(x,    t, s) {
    t = int((x < 0 ? -x : x) / 1000 + 0.5)
    s = sprintf("%d.%03d", int(t / 1000), t % 1000)
    return (x < 0 && t > 0) ? "-" s : s
}

# x pounds in £000, no decimals, thousands separated by commas, rounded half away from zero;
# brackets for negatives (Brackenfield's own tables)
function k0(x,    t, s) {
    t = int((x < 0 ? -x : x) / 1000 + 0.5)
    s = sprintf("%d", t)
    while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
    return (x < 0 && t > 0) ? "(" s ")" : s
}

# the same as a signed whole number, as published.csv writes it
function k0signed(x,    t) {
    t = int((x < 0 ? -x : x) / 1000 + 0.5)
    return (x < 0 && t > 0) ? "-" t : t ""
}

# a percentage to 1 place, half away from zero, brackets for negatives
function pct1(x,    t, s) {
    t = int((x < 0 ? -x : x) * 10 + 0.5)
    s = sprintf("%d.%d", int(t / 10), t % 10)
    return (x < 0 && t > 0) ? "(" s "%)" : s "%"
}

# Table 1 as Brackenfield prints it: £000, under/(over) spend = budget - forecast, to date
# from actuals.csv against the budget spread evenly (p/12 of each leaf's budget, to the penny)
function table1(fy, p, prevp,    i, t, b, f, v, pv, a, bd) {
    print ""
    print "#### Table 1 as printed, " fy " P" p " (£000; under/(over) = budget - forecast; budget to date = budget x " p "/12; change since P" prevp ")"
    print ""
    print "| area | annual budget | budget to date | actual to date | under/(over) to date | % spent | forecast outturn | under/(over) spend | % | change since last quarter | actual to date £ | budget to date £ |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 0; i <= ntop; i++) {
        t = (i < ntop) ? tops[i + 1] : ""
        b = B[fy, p, t]; f = F[fy, p, t]; v = b - f
        pv = B[fy, prevp, t] - F[fy, prevp, t]
        a = A[fy, p, t]; bd = BD[fy, p, t]
        print "| " label(t) " | " k0(b) " | " k0(bd) " | " k0(a) " | " k0(bd - a) " | " pct1(100 * a / b) " | " k0(f) " | " k0(v) " | " pct1(100 * v / b) " | " k0(v - pv) " | " pounds(a) " | " pounds(bd) " |"
    }
}

function top(line,    i) {
    i = index(line, " > ")
    return i ? substr(line, 1, i - 1) : line
}

function label(t) { return t == "" ? "**Total**" : t }

function summary(fy, p, prevp,    i, t, b, f, v, pv, pyf, pyb) {
    print ""
    print "#### Summary table, " fy " P" p " (variance = forecast - budget; previous quarter P" prevp "; last year's actual = 2017-18 P12 forecast_outturn)"
    print ""
    print "| area | budget £ | forecast outturn £ | variance £ | budget £m | forecast £m | variance £m | variance at P" prevp " £m | movement £m | last year's actual £ | last year's actual £m | last year's variance £m |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 0; i <= ntop; i++) {
        t = (i < ntop) ? tops[i + 1] : ""
        b = B[fy, p, t]; f = F[fy, p, t]; v = f - b
        pv = F[fy, prevp, t] - B[fy, prevp, t]
        pyf = F["2017-18", 12, t]; pyb = B["2017-18", 12, t]
        print "| " label(t) " | " pounds(b) " | " pounds(f) " | " pounds(v) " | " m3(b) " | " m3(f) " | " m3(v) " | " m3(pv) " | " m3(v - pv) " | " pounds(pyf) " | " m3(pyf) " | " m3(pyf - pyb) " |"
    }
}

function poplookup(area, band, year,    y) {
    # the estimate for the calendar year, else the latest earlier one
    for (y = year; y >= 1900; y--)
        if ((area, band, y) in POP) { popyear = y; return POP[area, band, y] }
    popyear = ""; return ""
}

# rolling 12 months to month ym (YYYY-MM) of measure m, area a: sets r12n, r12d, r12months
function rolling(m, a, ym,    y, mo, k, key) {
    y = substr(ym, 1, 4) + 0; mo = substr(ym, 6, 2) + 0
    r12n = 0; r12d = 0; r12months = 0
    for (k = 0; k < 12; k++) {
        key = sprintf("%04d-%02d", y, mo)
        if ((m, a, key) in NUM) { r12n += NUM[m, a, key]; r12d += DEN[m, a, key]; r12months++ }
        mo--; if (mo == 0) { mo = 12; y-- }
    }
}

BEGIN {
    if (dir == "") dir = "."

    # ---------------------------------------------------------------- revenue
    n = load("revenue.csv", 6)
    for (r = 1; r <= n; r++) {
        fy = rows["revenue.csv", r, 2]; p = rows["revenue.csv", r, 3] + 0; line = rows["revenue.csv", r, 4]
        b = whole(rows["revenue.csv", r, 5], "revenue budget"); f = whole(rows["revenue.csv", r, 6], "revenue forecast")
        t = top(line)
        if (!(t in seentop)) { seentop[t] = 1; tops[++ntop] = t }
        B[fy, p, t] += b; F[fy, p, t] += f
        B[fy, p, ""] += b; F[fy, p, ""] += f
        BD[fy, p, t] += int(b * p / 12 * 100 + (b < 0 ? -0.5 : 0.5)) / 100
        BD[fy, p, ""] += int(b * p / 12 * 100 + (b < 0 ? -0.5 : 0.5)) / 100
        LEAVES[fy, p, t]++; LEAVES[fy, p, ""]++
        if (!((fy, p) in seenper)) { seenper[fy, p] = 1; nper++ }
    }
    print "### Revenue"
    print ""
    print "From revenue.csv: " n " leaf rows, " ntop " top-level areas, " nper " (year, period) sets."
    summary("2018-19", 9, 6)
    summary("2018-19", 6, 3)

    # ---------------------------------------------------------------- actuals to date
    n = load("actuals.csv", 5)
    for (r = 1; r <= n; r++) {
        fy = rows["actuals.csv", r, 2]; p = rows["actuals.csv", r, 3] + 0; line = rows["actuals.csv", r, 4]
        a = whole(rows["actuals.csv", r, 5], "actual to date")
        A[fy, p, top(line)] += a; A[fy, p, ""] += a
    }
    print ""
    print "From actuals.csv: " n " rows (cumulative spend per leaf line)."
    table1("2018-19", 9, 6)
    table1("2018-19", 6, 3)

    # ---------------------------------------------------------------- savings
    n = load("savings_plan.csv", 6)
    for (r = 1; r <= n; r++) {
        ref = rows["savings_plan.csv", r, 2]
        TARGET[ref, rows["savings_plan.csv", r, 5]] = whole(rows["savings_plan.csv", r, 6], "savings target")
        WS[ref] = rows["savings_plan.csv", r, 4]
    }
    n = load("savings_forecast.csv", 6)
    print ""
    print "### Savings (shortfall = forecast - target, positive = not delivered; RAG as stated, else Green when delivered in full, Red below half, Amber between)"
    for (pi = 1; pi <= 2; pi++) {
        p = (pi == 1) ? 9 : 6
        print ""
        print "#### 2018-19 P" p
        print ""
        print "| ref | workstream | target £ | forecast £ | shortfall £ | delivered % | RAG |"
        print "|---|---|---:|---:|---:|---:|---|"
        tt = 0; tf = 0; cnt = 0; off = 0
        for (r = 1; r <= n; r++) {
            if (rows["savings_forecast.csv", r, 2] != "2018-19" || rows["savings_forecast.csv", r, 3] + 0 != p) continue
            ref = rows["savings_forecast.csv", r, 4]
            f = whole(rows["savings_forecast.csv", r, 5], "savings forecast")
            tg = TARGET[ref, "2018-19"]
            rag = rows["savings_forecast.csv", r, 6]
            pct = (tg != 0) ? 100 * f / tg : 0
            if (rag == "") rag = ((pct >= 100) ? "Green" : (pct < 50) ? "Red" : "Amber") " (derived)"
            print "| " ref " | " WS[ref] " | " pounds(tg) " | " pounds(f) " | " pounds(f - tg) " | " sprintf("%.1f", pct) " | " rag " |"
            tt += tg; tf += f; cnt++; if (f - tg > 0) off++
            WT[p, WS[ref]] += tg; WF[p, WS[ref]] += f
        }
        print "| **Total (" cnt " savings, " off " short)** | | " pounds(tt) " | " pounds(tf) " | " pounds(tf - tt) " | " sprintf("%.1f", 100 * tf / tt) " | |"
        print ""
        print "In £m: target " m3(tt) ", forecast " m3(tf) ", shortfall " m3(tf - tt) "."
        ST[p] = tt; SF[p] = tf
    }

    # ---------------------------------------------------------------- reserves
    n = load("reserves.csv", 9)
    for (r = 1; r <= n; r++) {
        fy = rows["reserves.csv", r, 2]; name = rows["reserves.csv", r, 4]
        o = whole(rows["reserves.csv", r, 6], "opening"); pl = whole(rows["reserves.csv", r, 8], "planned usage")
        if (fy == "2017-18") CLOSE17[name] = o + pl
    }
    print ""
    print "### Reserves and provisions, 2018-19 P9 (closing = opening + planned usage)"
    print ""
    print "| balance | kind | opening £ | planned usage £ | closing £ | 2017-18 closing £ | rolls forward? |"
    print "|---|---|---:|---:|---:|---:|---|"
    for (r = 1; r <= n; r++) {
        if (rows["reserves.csv", r, 2] != "2018-19") continue
        name = rows["reserves.csv", r, 4]; kind = rows["reserves.csv", r, 5]
        o = rows["reserves.csv", r, 6] + 0; pl = rows["reserves.csv", r, 8] + 0
        ok = (CLOSE17[name] == o) ? "yes" : ("**break**: opening - previous closing = " pounds(o - CLOSE17[name]))
        print "| " name " | " kind " | " pounds(o) " | " pounds(pl) " | " pounds(o + pl) " | " pounds(CLOSE17[name]) " | " ok " |"
        KO[kind] += o; KP[kind] += pl; TO += o; TP += pl
    }
    print "| **Total reserves** | reserve | " pounds(KO["reserve"]) " | " pounds(KP["reserve"]) " | " pounds(KO["reserve"] + KP["reserve"]) " | | |"
    print "| **Total provisions** | provision | " pounds(KO["provision"]) " | " pounds(KP["provision"]) " | " pounds(KO["provision"] + KP["provision"]) " | | |"
    print "| **Total reserves and provisions** | | " pounds(TO) " | " pounds(TP) " | " pounds(TO + TP) " | | |"
    print ""
    print "In £m: opening " m3(TO) ", planned usage " m3(TP) ", closing " m3(TO + TP) "."

    # ---------------------------------------------------------------- capital
    n = load("capital.csv", 8)
    cb = 0; cf = 0; cn = 0; cnull = 0; pb = 0; pf = 0
    for (r = 1; r <= n; r++) {
        if (rows["capital.csv", r, 2] != "2018-19" || rows["capital.csv", r, 3] + 0 != 9) continue
        b = whole(rows["capital.csv", r, 5], "capital budget"); f = whole(rows["capital.csv", r, 6], "capital forecast")
        ny = rows["capital.csv", r, 7]
        if (rows["capital.csv", r, 8] == "true") { pb += b; pf += f; continue }
        cb += b; cf += f
        if (ny == "") cnull++; else cn += whole(ny, "next year budget")
    }
    print ""
    print "### Capital, 2018-19 P9 (slippage = budget - forecast)"
    print ""
    print "| row | budget £ | forecast £ | slippage £ | budget £m | forecast £m | slippage £m |"
    print "|---|---:|---:|---:|---:|---:|---:|"
    print "| programme total (not passported) | " pounds(cb) " | " pounds(cf) " | " pounds(cb - cf) " | " m3(cb) " | " m3(cf) " | " m3(cb - cf) " |"
    print "| passported | " pounds(pb) " | " pounds(pf) " | " pounds(pb - pf) " | " m3(pb) " | " m3(pf) " | " m3(pb - pf) " |"
    print "| total capital programme | " pounds(cb + pb) " | " pounds(cf + pf) " | " pounds(cb + pb - cf - pf) " | " m3(cb + pb) " | " m3(cf + pf) " | " m3(cb + pb - cf - pf) " |"
    print ""
    if (cnull) print "Next year's budget of the programme total: not known (" cnull " scheme without one; the known ones sum to " pounds(cn) ")."
    else print "Next year's budget of the programme total: " pounds(cn) "."

    # ---------------------------------------------------------------- grants
    n = load("grants.csv", 8)
    print ""
    print "### Grants, 2018-19 P9 (carry forward = allocation + brought forward - forecast spend)"
    print ""
    print "| grant | scheme | allocation £ | brought forward £ | forecast spend £ | carry forward £ |"
    print "|---|---|---:|---:|---:|---:|"
    ga = 0; gb = 0; gs = 0
    for (r = 1; r <= n; r++) {
        a1 = whole(rows["grants.csv", r, 6], "allocation"); b1 = whole(rows["grants.csv", r, 7], "brought forward"); s1 = whole(rows["grants.csv", r, 8], "spend")
        print "| " rows["grants.csv", r, 4] " | " rows["grants.csv", r, 5] " | " pounds(a1) " | " pounds(b1) " | " pounds(s1) " | " pounds(a1 + b1 - s1) " |"
        ga += a1; gb += b1; gs += s1
    }
    print "| **Total** | | " pounds(ga) " | " pounds(gb) " | " pounds(gs) " | " pounds(ga + gb - gs) " |"
    print ""
    print "In £m: carry forward " m3(ga + gb - gs) "."

    # ---------------------------------------------------------------- measures
    load("measures.csv", 6)
    for (r = 1; r <= nrows["measures.csv"]; r++) {
        MULT[rows["measures.csv", r, 1]] = rows["measures.csv", r, 4]
        BAND[rows["measures.csv", r, 1]] = rows["measures.csv", r, 5]
        POL[rows["measures.csv", r, 1]] = rows["measures.csv", r, 6]
    }
    n = load("population.csv", 5)
    for (r = 1; r <= n; r++) POP[rows["population.csv", r, 2], rows["population.csv", r, 4], rows["population.csv", r, 3] + 0] = rows["population.csv", r, 5] + 0
    n = load("activity.csv", 6)
    for (r = 1; r <= n; r++) {
        m = rows["activity.csv", r, 2]; a = rows["activity.csv", r, 3]; ym = rows["activity.csv", r, 4]
        NUM[m, a, ym] = rows["activity.csv", r, 5] + 0; DEN[m, a, ym] = rows["activity.csv", r, 6]
        if (!(m in seenm)) { seenm[m] = 1; ms[++nm] = m }
        MONTHS[m]++
    }
    n = load("targets.csv", 5)
    for (r = 1; r <= n; r++) TGT[rows["targets.csv", r, 2], rows["targets.csv", r, 3], rows["targets.csv", r, 4]] = rows["targets.csv", r, 5]
    print ""
    print "### Performance measures (area Brackenfield)"
    print ""
    print "| measure | rolling 12 months to | months loaded | numerator | denominator | value | value (4 places) | 2018-19 target | worse than target by % | status |"
    print "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
    for (i = 1; i <= nm; i++) {
        m = ms[i]
        for (j = 1; j <= 2; j++) {
            ym = (j == 1) ? "2019-03" : "2018-03"
            rolling(m, "Brackenfield", ym)
            if (DEN[m, "Brackenfield", ym] == "") {
                d = poplookup("Brackenfield", BAND[m], substr(ym, 1, 4) + 0)
                dl = d " (" BAND[m] ", " popyear " estimate)"
            } else { d = r12d; dl = d }
            v = MULT[m] * r12n / d
            tg = (j == 1) ? TGT[m, "Brackenfield", "2018-19"] : ""
            st = ""; diff = ""
            if (tg != "") {
                dv = (POL[m] == "lower") ? (v - tg) / (tg < 0 ? -tg : tg) * 100 : (tg - v) / (tg < 0 ? -tg : tg) * 100
                diff = sprintf("%.2f", dv)
                st = (dv <= 0) ? "on target" : (dv < 5) ? "within 5%" : "off target"
            }
            if (j == 1) R12[m] = v
            else VAL1718[m] = v
            print "| " m " | " ym " | " r12months " | " r12n " | " dl " | " sprintf("%.1f", v) " | " sprintf("%.4f", v) " | " tg " | " diff " | " st " |"
        }
        print "| " m " | months loaded in all | " MONTHS[m] " | | | | | | | |"
    }

    # benchmark: the council's year value is its rolling 12 months to March; the
    # others' published values
    n = load("values.csv", 5)
    load("comparators.csv", 3)
    print ""
    print "#### Benchmark, 2017-18 (group: " rows["comparators.csv", 1, 2] "; Brackenfield's value is its rolling 12 months to March 2018)"
    print ""
    print "| area | measure | value | rank (1 = best) |"
    print "|---|---|---:|---:|"
    k = 0; sum = 0
    for (r = 1; r <= n; r++) {
        m = rows["values.csv", r, 2]
        BV[rows["values.csv", r, 3]] = rows["values.csv", r, 5] + 0
    }
    BV["Brackenfield"] = VAL1718[m]
    for (r = 1; r <= nrows["comparators.csv"]; r++) { ar = rows["comparators.csv", r, 3]; sum += BV[ar]; k++ }
    for (r = 1; r <= nrows["comparators.csv"]; r++) {
        ar = rows["comparators.csv", r, 3]; rank = 1
        for (q = 1; q <= nrows["comparators.csv"]; q++) {
            o = BV[rows["comparators.csv", q, 3]]
            if ((POL[m] == "lower") ? (o < BV[ar]) : (o > BV[ar])) rank++
        }
        print "| " ar " | " m " | " sprintf("%.2f", BV[ar]) " | " rank " |"
    }
    print "| **group average (" k " members)** | " m " | " sprintf("%.2f", sum / k) " | |"

    # ---------------------------------------------------------------- published figures
    n = load("published.csv", 9)
    print ""
    print "### published.csv against the data (printed value vs the data rounded to the printed places: £000 to 0, £m to 3)"
    print ""
    print "| report | item | column | printed | computed | difference | tolerance (half a unit per printed figure) | verdict |"
    print "|---|---|---|---:|---:|---:|---:|---|"
    for (r = 1; r <= n; r++) {
        rep = rows["published.csv", r, 4]; it = rows["published.csv", r, 5]; col = rows["published.csv", r, 6]
        fy = rows["published.csv", r, 2]; p = rows["published.csv", r, 3] + 0; pr = rows["published.csv", r, 7]
        if (rep == "revenue") {
            # it is a top-level area or '' (the only items this file prints); Table 1 prints £000
            # and under/(over) spend = budget - forecast
            x = (col == "budget") ? B[fy, p, it] : (col == "forecast_outturn") ? F[fy, p, it] : B[fy, p, it] - F[fy, p, it]
            nf = LEAVES[fy, p, it] * ((col == "underspend") ? 2 : 1)
            cm = k0signed(x); unit = 1; fmt = "%.0f"
        } else {
            x = (col == "target") ? ST[p] : SF[p]
            nf = 0
            for (rr = 1; rr <= nrows["savings_forecast.csv"]; rr++)
                if (rows["savings_forecast.csv", rr, 3] + 0 == p) nf++
            cm = m3signed(x); unit = 0.001; fmt = "%.3f"
        }
        df = pr - cm
        tol = nf * unit / 2
        verdict = (df == 0) ? "agrees" : ((df < 0 ? -df : df) <= tol + 1e-9) ? "rounding" : "**misstated**"
        print "| " rep " | " (it == "" ? "''" : it) " | " col " | " pr " | " cm " | " sprintf(fmt, df) " | " sprintf("%.4f", tol) " | " verdict " |"
    }
}
