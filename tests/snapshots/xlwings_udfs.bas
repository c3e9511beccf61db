Function EARLY_PENALTY(taxable_amount, age, Optional account_type, Optional exception, Optional exception_amount, Optional tax_year, Optional output, Optional simple_first_two_years, Optional exception_count, Optional first_home_used)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        EARLY_PENALTY = XLPy.CallUDF("xl_rollover.excel.functions", "EARLY_PENALTY", Array(taxable_amount, age, account_type, exception, exception_amount, tax_year, output, simple_first_two_years, exception_count, first_home_used), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        EARLY_PENALTY = XLPy.CallUDF("xl_rollover.excel.functions", "EARLY_PENALTY", Array(taxable_amount, age, account_type, exception, exception_amount, tax_year, output, simple_first_two_years, exception_count, first_home_used))
        Exit Function
    #End If
failed:
    EARLY_PENALTY = Err.Description
End Function

Function FORM_8606(Optional nondeductible_contributions, Optional prior_basis, Optional year_end_value, Optional distributions, Optional converted, Optional late_contributions, Optional outstanding_rollovers, Optional output, Optional ratio_decimals)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FORM_8606 = XLPy.CallUDF("xl_rollover.excel.functions", "FORM_8606", Array(nondeductible_contributions, prior_basis, year_end_value, distributions, converted, late_contributions, outstanding_rollovers, output, ratio_decimals), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        FORM_8606 = XLPy.CallUDF("xl_rollover.excel.functions", "FORM_8606", Array(nondeductible_contributions, prior_basis, year_end_value, distributions, converted, late_contributions, outstanding_rollovers, output, ratio_decimals))
        Exit Function
    #End If
failed:
    FORM_8606 = Err.Description
End Function

Function IRA_DEDUCTION_LIMIT(year, magi, filing_status, age, active_participant, Optional spouse_active_participant, Optional compensation, Optional output, Optional spouse_compensation, Optional spouse_ira_contributions)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        IRA_DEDUCTION_LIMIT = XLPy.CallUDF("xl_rollover.excel.functions", "IRA_DEDUCTION_LIMIT", Array(year, magi, filing_status, age, active_participant, spouse_active_participant, compensation, output, spouse_compensation, spouse_ira_contributions), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        IRA_DEDUCTION_LIMIT = XLPy.CallUDF("xl_rollover.excel.functions", "IRA_DEDUCTION_LIMIT", Array(year, magi, filing_status, age, active_participant, spouse_active_participant, compensation, output, spouse_compensation, spouse_ira_contributions))
        Exit Function
    #End If
failed:
    IRA_DEDUCTION_LIMIT = Err.Description
End Function

Function IRS_LIMIT(limit_name, year, Optional filing_status, Optional output)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        IRS_LIMIT = XLPy.CallUDF("xl_rollover.excel.functions", "IRS_LIMIT", Array(limit_name, year, filing_status, output), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        IRS_LIMIT = XLPy.CallUDF("xl_rollover.excel.functions", "IRS_LIMIT", Array(limit_name, year, filing_status, output))
        Exit Function
    #End If
failed:
    IRS_LIMIT = Err.Description
End Function

Function MEGA_BACKDOOR_ROOM(year, employee_deferrals, employer_contributions, Optional compensation, Optional age, Optional after_tax_so_far, Optional output)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        MEGA_BACKDOOR_ROOM = XLPy.CallUDF("xl_rollover.excel.functions", "MEGA_BACKDOOR_ROOM", Array(year, employee_deferrals, employer_contributions, compensation, age, after_tax_so_far, output), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        MEGA_BACKDOOR_ROOM = XLPy.CallUDF("xl_rollover.excel.functions", "MEGA_BACKDOOR_ROOM", Array(year, employee_deferrals, employer_contributions, compensation, age, after_tax_so_far, output))
        Exit Function
    #End If
failed:
    MEGA_BACKDOOR_ROOM = Err.Description
End Function

Function PRORATA_TAXABLE(converted, basis, year_end_value, Optional distributions, Optional outstanding_rollovers, Optional output, Optional ratio_decimals)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PRORATA_TAXABLE = XLPy.CallUDF("xl_rollover.excel.functions", "PRORATA_TAXABLE", Array(converted, basis, year_end_value, distributions, outstanding_rollovers, output, ratio_decimals), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        PRORATA_TAXABLE = XLPy.CallUDF("xl_rollover.excel.functions", "PRORATA_TAXABLE", Array(converted, basis, year_end_value, distributions, outstanding_rollovers, output, ratio_decimals))
        Exit Function
    #End If
failed:
    PRORATA_TAXABLE = Err.Description
End Function

Function RMD(year, birth_date, prior_year_end_balance, Optional spouse_birth_date, Optional spouse_sole_beneficiary, Optional output, Optional inherited)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        RMD = XLPy.CallUDF("xl_rollover.excel.functions", "RMD", Array(year, birth_date, prior_year_end_balance, spouse_birth_date, spouse_sole_beneficiary, output, inherited), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        RMD = XLPy.CallUDF("xl_rollover.excel.functions", "RMD", Array(year, birth_date, prior_year_end_balance, spouse_birth_date, spouse_sole_beneficiary, output, inherited))
        Exit Function
    #End If
failed:
    RMD = Err.Description
End Function

Function ROTH_IRA_DISTRIBUTION(amount, regular_contributions, conversions, distribution_year, age, Optional first_roth_year, Optional exception, Optional output, Optional qualifying_event, Optional first_home_used)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ROTH_IRA_DISTRIBUTION = XLPy.CallUDF("xl_rollover.excel.functions", "ROTH_IRA_DISTRIBUTION", Array(amount, regular_contributions, conversions, distribution_year, age, first_roth_year, exception, output, qualifying_event, first_home_used), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        ROTH_IRA_DISTRIBUTION = XLPy.CallUDF("xl_rollover.excel.functions", "ROTH_IRA_DISTRIBUTION", Array(amount, regular_contributions, conversions, distribution_year, age, first_roth_year, exception, output, qualifying_event, first_home_used))
        Exit Function
    #End If
failed:
    ROTH_IRA_DISTRIBUTION = Err.Description
End Function

Function ROTH_IRA_LIMIT(year, magi, filing_status, age, Optional compensation, Optional output, Optional traditional_contributions, Optional spouse_compensation, Optional spouse_ira_contributions)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ROTH_IRA_LIMIT = XLPy.CallUDF("xl_rollover.excel.functions", "ROTH_IRA_LIMIT", Array(year, magi, filing_status, age, compensation, output, traditional_contributions, spouse_compensation, spouse_ira_contributions), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        ROTH_IRA_LIMIT = XLPy.CallUDF("xl_rollover.excel.functions", "ROTH_IRA_LIMIT", Array(year, magi, filing_status, age, compensation, output, traditional_contributions, spouse_compensation, spouse_ira_contributions))
        Exit Function
    #End If
failed:
    ROTH_IRA_LIMIT = Err.Description
End Function

Function ROTH_PENALTY_FREE(regular_contributions, conversions, distribution_year, age, Optional output)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ROTH_PENALTY_FREE = XLPy.CallUDF("xl_rollover.excel.functions", "ROTH_PENALTY_FREE", Array(regular_contributions, conversions, distribution_year, age, output), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        ROTH_PENALTY_FREE = XLPy.CallUDF("xl_rollover.excel.functions", "ROTH_PENALTY_FREE", Array(regular_contributions, conversions, distribution_year, age, output))
        Exit Function
    #End If
failed:
    ROTH_PENALTY_FREE = Err.Description
End Function

Function ROTH_ROLLOVER_SPLIT(distribution, after_tax_basis, account_balance, Optional to_roth_ira, Optional to_traditional, Optional output, Optional rolled_60day_roth, Optional rolled_60day_traditional, Optional age, Optional rmd_amount, Optional separated_age_55, Optional annuity_payment, Optional includes_designated_roth, Optional pre_1987_basis)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ROTH_ROLLOVER_SPLIT = XLPy.CallUDF("xl_rollover.excel.functions", "ROTH_ROLLOVER_SPLIT", Array(distribution, after_tax_basis, account_balance, to_roth_ira, to_traditional, output, rolled_60day_roth, rolled_60day_traditional, age, rmd_amount, separated_age_55, annuity_payment, includes_designated_roth, pre_1987_basis), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        ROTH_ROLLOVER_SPLIT = XLPy.CallUDF("xl_rollover.excel.functions", "ROTH_ROLLOVER_SPLIT", Array(distribution, after_tax_basis, account_balance, to_roth_ira, to_traditional, output, rolled_60day_roth, rolled_60day_traditional, age, rmd_amount, separated_age_55, annuity_payment, includes_designated_roth, pre_1987_basis))
        Exit Function
    #End If
failed:
    ROTH_ROLLOVER_SPLIT = Err.Description
End Function

Function SEPP_PAYMENT(balance, birth_date, year, method, Optional interest_rate, Optional life_table, Optional beneficiary_birth_date, Optional rate_cap, Optional output)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SEPP_PAYMENT = XLPy.CallUDF("xl_rollover.excel.functions", "SEPP_PAYMENT", Array(balance, birth_date, year, method, interest_rate, life_table, beneficiary_birth_date, rate_cap, output), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        SEPP_PAYMENT = XLPy.CallUDF("xl_rollover.excel.functions", "SEPP_PAYMENT", Array(balance, birth_date, year, method, interest_rate, life_table, beneficiary_birth_date, rate_cap, output))
        Exit Function
    #End If
failed:
    SEPP_PAYMENT = Err.Description
End Function

