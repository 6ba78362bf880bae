package dev.mmcheck.reports;

/**
 * What the self-contained HTML reports share: escaping and the page frame with its inline base
 * style. Nothing is loaded from anywhere; fonts are the system's own.
 */
final class Html {
    private Html() {
    }

    /** Escapes text for element content and for attribute values in double or single quotes. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '"': sb.append("&quot;"); break;
                case '\'': sb.append("&#39;"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }

    static final String BASE_CSS = String.join("\n",
            ":root{--fg:#1d232b;--muted:#5b6673;--bg:#ffffff;--panel:#f5f7fa;--line:#d7dde4;--bad:#b42318;"
                    + "--bad-bg:#fdecea;--ok:#1a7f37;--ok-bg:#e6f4ea;--warn:#9a6700;--warn-bg:#fff8c5;--mark:#fff3b0;--accent:#0b5cad}",
            "@media (prefers-color-scheme: dark){:root{--fg:#e3e8ee;--muted:#9aa6b2;--bg:#14181d;--panel:#1c2229;"
                    + "--line:#33404d;--bad:#ff8a80;--bad-bg:#3a1d1b;--ok:#7ee2a0;--ok-bg:#17301f;--warn:#f2cc60;--warn-bg:#332b10;"
                    + "--mark:#4d4310;--accent:#79b8ff}}",
            "*{box-sizing:border-box}",
            "body{margin:0 auto;max-width:1180px;padding:16px 20px 40px;color:var(--fg);background:var(--bg);"
                    + "font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}",
            "code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:12.5px}",
            "h1{font-size:20px;margin:18px 0 4px}h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}",
            "table{border-collapse:collapse}th,td{text-align:left;vertical-align:top;padding:3px 8px}",
            ".meta th{color:var(--muted);font-weight:normal;padding-left:0}",
            ".muted{color:var(--muted)}",
            "a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}",
            ".verdict{border-left:6px solid var(--line);background:var(--panel);padding:12px 16px;border-radius:4px}",
            ".verdict.bad{border-color:var(--bad);background:var(--bad-bg)}",
            ".verdict.good{border-color:var(--ok);background:var(--ok-bg)}",
            ".verdict.undecided{border-color:var(--warn);background:var(--warn-bg)}",
            ".verdict .headline{font-size:20px;font-weight:600}",
            ".verdict.bad .headline{color:var(--bad)}.verdict.good .headline{color:var(--ok)}.verdict.undecided .headline{color:var(--warn)}",
            ".verdict p{margin:6px 0 0}");

    /** A complete page: head with the title and styles, then {@code body}, then the script (may be empty). */
    static String page(String title, String extraCss, String body, String script) {
        StringBuilder sb = new StringBuilder(body.length() + 8192);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"").append(esc(ToolVersion.NAME + " " + ToolVersion.version())).append("\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(BASE_CSS).append('\n')
                .append(extraCss).append("\n</style>\n</head>\n<body>\n").append(body);
        if (!script.isEmpty()) {
            sb.append("<script>\n").append(script).append("\n</script>\n");
        }
        return sb.append("</body>\n</html>\n").toString();
    }
}
