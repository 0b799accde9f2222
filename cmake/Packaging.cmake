# Debian package of the plugin, made by `cpack -G DEB` (scripts/package drives it).
#
# The package installs sipvi.so into the system plugin folder of the Wireshark it was built
# against (Wireshark_PLUGIN_INSTALL_DIR of WiresharkConfig.cmake, installed relative to
# Wireshark's prefix: see plugin/CMakeLists.txt) and depends on that Wireshark series only: a
# plugin loads only into the major.minor it was compiled for, so the libwireshark dependency is a
# range, e.g. libwireshark16 (>= 4.0.0), libwireshark16 (<< 4.1~) on Debian 12. Package names are
# read from dpkg at configure time (dpkg-query -S on the library files the imported targets point
# to), not written here: they change between Debian releases (libwireshark16/18/19,
# libglib2.0-0/libglib2.0-0t64).

# `cmake --install` without a prefix puts the plugin where this Wireshark looks for it (Wireshark's
# own prefix, /usr on Debian), as it did when the destination was absolute.
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT)
  set(CMAKE_INSTALL_PREFIX "${Wireshark_INSTALL_PREFIX}" CACHE PATH
      "Install prefix (default: Wireshark's own, so the plugin lands in its plugin folder)" FORCE)
endif()

set(SIPVI_DEB_NAME "sipvi-wireshark" CACHE STRING
    "Debian package name (Debian names Wireshark plugin packages <project>-wireshark, e.g. libvirt-wireshark)")
set(SIPVI_DEB_MAINTAINER "sipvi maintainers <maintainers@users.noreply.r-seed-b8080434.example>"
    CACHE STRING "Maintainer field of the Debian package")

# ---- dependencies --------------------------------------------------------------------------
# sipvi_deb_owner(FILE OUT): the Debian package that owns FILE, or "" when dpkg does not know it.
# FILE's real path comes first: a libfoo.so link belongs to the -dev package. dpkg records a library under the path its package shipped, /lib/... (Debian 12) or
# /usr/lib/... (Debian 13 and later), whichever the link or symlink we hold points to: try both.
function(sipvi_deb_owner file out)
  set(${out} "" PARENT_SCOPE)
  get_filename_component(real "${file}" REALPATH)
  set(candidates "${real}" "${file}")
  foreach(path IN ITEMS "${real}" "${file}")
    if(path MATCHES "^/usr(/lib.*)$")
      list(APPEND candidates "${CMAKE_MATCH_1}")
    elseif(path MATCHES "^/lib")
      list(APPEND candidates "/usr${path}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES candidates)
  foreach(path IN LISTS candidates)
    execute_process(COMMAND "${SIPVI_DPKG_QUERY}" -S "${path}"
                    OUTPUT_VARIABLE owners RESULT_VARIABLE rc ERROR_QUIET)
    # "libwireshark16:amd64: /usr/lib/x86_64-linux-gnu/libwireshark.so.16.0.17"; skip diversions.
    string(REGEX MATCH "(^|\n)([a-z0-9][a-z0-9.+-]+)(:[a-z0-9-]+)?: /" _ "${owners}")
    if(rc EQUAL 0 AND CMAKE_MATCH_2)
      set(${out} "${CMAKE_MATCH_2}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
endfunction()

# sipvi_deb_shlibs_dep(PACKAGE SONAME OUT): the dependency PACKAGE's shlibs file gives for SONAME
# (libglib-2.0.so.0 -> "libglib2.0-0 (>= 2.74.6)"), as dpkg-shlibdeps would without symbols; just
# PACKAGE when it has no such line.
function(sipvi_deb_shlibs_dep package soname out)
  set(${out} "${package}" PARENT_SCOPE)
  if(NOT soname MATCHES "^(.+)\\.so\\.([0-9.]+)$")
    return()
  endif()
  set(key "${CMAKE_MATCH_1} ${CMAKE_MATCH_2} ")
  execute_process(COMMAND "${SIPVI_DPKG_QUERY}" --control-show "${package}" shlibs
                  OUTPUT_VARIABLE shlibs RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0)
    return()
  endif()
  string(REPLACE "\n" ";" shlibs "${shlibs}")
  foreach(line IN LISTS shlibs)
    string(FIND "${line}" "${key}" at)
    if(at EQUAL 0)
      string(LENGTH "${key}" n)
      string(SUBSTRING "${line}" ${n} -1 dep)
      string(STRIP "${dep}" dep)
      set(${out} "${dep}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
endfunction()

function(sipvi_deb_target_file target out)
  set(${out} "" PARENT_SCOPE)
  if(TARGET ${target})
    get_target_property(file ${target} LOCATION)   # an imported target: one of its configurations
    if(file)
      set(${out} "${file}" PARENT_SCOPE)
    endif()
  endif()
endfunction()

find_program(SIPVI_DPKG_QUERY dpkg-query)
set(SIPVI_DEB_DEPENDS "")
set(SIPVI_DEB_PROBLEM "")
if(NOT SIPVI_DPKG_QUERY)
  set(SIPVI_DEB_PROBLEM "dpkg-query not found: not a Debian system")
else()
  math(EXPR _next_minor "${Wireshark_MINOR_VERSION} + 1")
  set(_series_range ">= ${SIPVI_WS_SERIES}.0" "<< ${Wireshark_MAJOR_VERSION}.${_next_minor}~")
  set(_deps "")

  # Wireshark's libraries the plugin is linked to (sipvi.so NEEDs libwireshark and libwsutil):
  # the series range on each. epan is required; the others are there on every supported release.
  foreach(_target IN ITEMS epan wsutil)
    sipvi_deb_target_file(${_target} _file)
    if(NOT _file)
      if(_target STREQUAL "epan")
        set(SIPVI_DEB_PROBLEM "the Wireshark target epan has no library file")
      endif()
      continue()
    endif()
    sipvi_deb_owner("${_file}" _pkg)
    if(NOT _pkg)
      set(SIPVI_DEB_PROBLEM "no Debian package owns ${_file} (a Wireshark not installed by dpkg?)")
      break()
    endif()
    foreach(_range IN LISTS _series_range)
      list(APPEND _deps "${_pkg} (${_range})")
    endforeach()
    if(_target STREQUAL "epan")
      set(SIPVI_DEB_LIBWIRESHARK "${_pkg}")
    endif()
  endforeach()

  # GLib (from epan's link interface) and the C library: the minimum their shlibs files give.
  get_target_property(_epan_links epan INTERFACE_LINK_LIBRARIES)
  set(_glib "")
  foreach(_lib IN LISTS _epan_links)
    if(_lib MATCHES "/libglib-2\\.0\\.so")
      set(_glib "${_lib}")
    endif()
  endforeach()
  execute_process(COMMAND "${CMAKE_C_COMPILER}" -print-file-name=libc.so.6
                  OUTPUT_VARIABLE _libc OUTPUT_STRIP_TRAILING_WHITESPACE)
  foreach(_pair IN ITEMS "${_glib}|libglib-2.0.so.0" "${_libc}|libc.so.6")
    string(REPLACE "|" ";" _pair "${_pair}")
    list(GET _pair 0 _file)
    list(GET _pair 1 _soname)
    if(NOT IS_ABSOLUTE "${_file}" OR NOT EXISTS "${_file}")
      set(SIPVI_DEB_PROBLEM "found no file for ${_soname}")
      continue()
    endif()
    sipvi_deb_owner("${_file}" _pkg)
    if(NOT _pkg)
      set(SIPVI_DEB_PROBLEM "no Debian package owns ${_file}")
      continue()
    endif()
    sipvi_deb_shlibs_dep("${_pkg}" "${_soname}" _dep)
    list(APPEND _deps "${_dep}")
  endforeach()
  list(JOIN _deps ", " SIPVI_DEB_DEPENDS)
endif()
if(SIPVI_DEB_PROBLEM)
  set(SIPVI_DEB_DEPENDS "")
  message(STATUS "sipvi: no Debian package can be made: ${SIPVI_DEB_PROBLEM}")
else()
  message(STATUS "sipvi: Debian package ${SIPVI_DEB_NAME}, Depends: ${SIPVI_DEB_DEPENDS}")
endif()

# ---- CPack ---------------------------------------------------------------------------------
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "${SIPVI_DEB_NAME}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SIP status codes in Vietnamese for Wireshark and tshark")
set(CPACK_PACKAGE_CONTACT "${SIPVI_DEB_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX "${Wireshark_INSTALL_PREFIX}")
# Stripped as Debian ships its plugins (dh_strip): a quarter of the size; the unstripped
# sipvi.so with its debug information stays in the build tree.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_NAME "${SIPVI_DEB_NAME}")
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)   # sipvi-wireshark_0.1.0-1_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${SIPVI_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${SIPVI_DEB_DEPENDS}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)   # needs dpkg-dev; the Depends above come from dpkg-query
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "\
A Wireshark post-dissector plugin for VoIP support staff: after the SIP
dissector has run, it adds the Vietnamese meaning, class and severity of
every SIP response's status code to the packet, as filterable sipvi.* fields
(e.g. sipvi.code, sipvi.meaning, sipvi.severity), as expert info and in the
Info column.

Built for Wireshark ${SIPVI_WS_SERIES}: a plugin loads only into the Wireshark
series it was compiled against.

Tiếng Việt: hiển thị ý nghĩa mã trạng thái SIP bằng tiếng Việt trong
Wireshark và tshark.")

set(CPACK_SOURCE_GENERATOR "TGZ")
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build/" "/build-[^/]*/" "__pycache__")

# Refuse at cpack time, not at configure time, so that a non-Debian build still configures.
set(SIPVI_CPACK_PROJECT_CONFIG "${PROJECT_BINARY_DIR}/SipviCPackOptions.cmake")
file(WRITE "${SIPVI_CPACK_PROJECT_CONFIG}" "\
if(CPACK_GENERATOR STREQUAL \"DEB\" AND NOT CPACK_DEBIAN_PACKAGE_DEPENDS)
  message(FATAL_ERROR \"sipvi: cannot make the Debian package: [=[${SIPVI_DEB_PROBLEM}]=]\")
endif()
")
set(CPACK_PROJECT_CONFIG_FILE "${SIPVI_CPACK_PROJECT_CONFIG}")

include(CPack)
