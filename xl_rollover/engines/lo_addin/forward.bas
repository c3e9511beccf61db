REM xl-rollover: worksheet functions forwarded to the Python add-in (generated)
Private oAddIn As Object

Function XLR_ADDIN() As Object
    If IsNull(oAddIn) Then
        oAddIn = createUnoService("$service")
    End If
    XLR_ADDIN = oAddIn
End Function

Function XLR_BACK(r As Variant) As Variant
    REM rows of cells from the add-in: one cell as a value, more as a 2-D array for Calc
    Dim out() As Variant, i As Long, j As Long
    If UBound(r) = 0 And UBound(r(0)) = 0 Then
        XLR_BACK = r(0)(0)
        Exit Function
    End If
    ReDim out(0 To UBound(r), 0 To UBound(r(0)))
    For i = 0 To UBound(r)
        For j = 0 To UBound(r(0))
            out(i, j) = r(i)(j)
        Next j
    Next i
    XLR_BACK = out
End Function
