#!/usr/bin/env bash
# 安装年报助手（当前用户，无需管理员权限）：复制到 ~/.local/opt/nianbao，加入开始菜单，关联 .nianbao 文件。
# Install for the current user: ~/.local/opt/nianbao, a start-menu entry, the .nianbao file type.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=${NIANBAO_HOME:-$HOME/.local/opt/nianbao}
data=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$target" "$data/applications" "$data/mime/packages"
if [ "$here" != "$target" ]; then cp -a "$here/." "$target/"; fi
sed "s|@APPDIR@|$target|g" "$here/nianbao.desktop" > "$data/applications/nianbao.desktop"
cp "$here/nianbao-mime.xml" "$data/mime/packages/nianbao.xml"
command -v update-mime-database >/dev/null && update-mime-database "$data/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$data/applications" || true
echo "年报助手已安装到 $target，可从开始菜单（办公）启动。"
