-- Neovim 0.7 headless, built-in LSP client, against the Sanction language server.
-- Usage: SANCTION_LSP_CMD='["node", "...", "--stdio"]' HOVER_LINE=.. HOVER_COL=.. COMPL_LINE=.. COMPL_COL=..
--        LSP_OUT=result.txt nvim --headless --clean -c 'luafile nvim-lsp.lua' FILE
local out = {}
local function log(...) local s = table.concat(vim.tbl_map(tostring, {...}), ' '); table.insert(out, s) end
local function finish(code)
  local f = io.open(vim.env.LSP_OUT or 'result.txt', 'w'); f:write(table.concat(out, '\n') .. '\n'); f:close()
  vim.cmd((code == 0) and 'qall!' or ('cquit! ' .. code))
end
local bufnr = vim.api.nvim_get_current_buf()
vim.bo[bufnr].filetype = 'sanction'
local diag_seen = false
local client_id = vim.lsp.start_client({
  name = 'sanction',
  cmd = vim.fn.json_decode(vim.env.SANCTION_LSP_CMD),
  root_dir = vim.fn.getcwd(),
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      if result.uri == vim.uri_from_bufnr(bufnr) and #result.diagnostics > 0 then diag_seen = true end
    end,
  },
})
if not client_id then log('start_client failed'); finish(1) end
vim.lsp.buf_attach_client(bufnr, client_id)
local ok = vim.wait(20000, function() return diag_seen end, 50)
log('DIAGNOSTICS', ok)
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  log(('DIAG %d:%d sev=%d %s %s'):format(d.lnum, d.col, d.severity, d.code or '', d.message))
end
local uri = vim.uri_from_bufnr(bufnr)
local hov = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = tonumber(vim.env.HOVER_LINE), character = tonumber(vim.env.HOVER_COL) } }, 10000)
for _, r in pairs(hov or {}) do
  if r.err then log('HOVER-ERR', vim.inspect(r.err)) elseif r.result then log('HOVER', (r.result.contents.value:gsub('\n', ' | '))) end
end
local comp = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', { textDocument = { uri = uri }, position = { line = tonumber(vim.env.COMPL_LINE), character = tonumber(vim.env.COMPL_COL) } }, 10000)
for _, r in pairs(comp or {}) do
  local items = r.result and (r.result.items or r.result) or {}
  log('COMPLETION', table.concat(vim.tbl_map(function(i) return i.label end, items), ','))
end
vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
finish(0)
